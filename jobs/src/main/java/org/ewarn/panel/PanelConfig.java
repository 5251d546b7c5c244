package org.ewarn.panel;

import java.io.Serializable;
import java.util.List;
import org.ewarn.config.Settings;

/**
 * The {@code panel} section of the configuration.
 *
 * @param horizonYears onset outcomes of the country-year panel look this many years ahead
 * @param horizonMonths onset outcomes of the country-month panel look this many months ahead
 * @param windows rolling windows (months) of the country-month panel
 * @param lookbackMonths coups and repression are counted over this many months up to the row
 * @param firstMonth first month of the country-month spine, {@code yyyy-MM}
 * @param lastMonth last month of the spine, {@code yyyy-MM}, or {@code auto} (latest event month)
 * @param vintage label of the published panels, or {@code auto} (latest predictor year)
 * @param escalation the one-sided escalation onset: threshold T deaths after quiet-months Q below T
 * @param agreement country-month spans where GED events and the global series are compared
 */
public record PanelConfig(
    int horizonYears,
    int horizonMonths,
    List<Integer> windows,
    int lookbackMonths,
    String firstMonth,
    String lastMonth,
    String vintage,
    Escalation escalation,
    Agreement agreement)
    implements Serializable {

  /** {@code os_escalation_onset}: first month with at least {@code threshold} one-sided deaths after {@code quietMonths} below it. */
  public record Escalation(int threshold, int quietMonths) implements Serializable {}

  /**
   * Where both GED events and the series cover, a month agrees when the one-sided deaths differ by
   * at most {@code toleranceDeaths} or {@code toleranceShare} of the larger; the check passes when
   * at least {@code minAgreeingShare} of the compared months agree.
   */
  public record Agreement(List<Check> checks, int toleranceDeaths, double toleranceShare, double minAgreeingShare)
      implements Serializable {
    public Agreement {
      checks = List.copyOf(checks);
    }
  }

  /** One compared span: a G-W country from month {@code from} to {@code to} (yyyy-MM). */
  public record Check(int gwCode, String from, String to) implements Serializable {}

  public PanelConfig {
    windows = List.copyOf(windows);
  }

  public PanelConfig(int horizonYears, int horizonMonths, List<Integer> windows, int lookbackMonths,
      String firstMonth, String lastMonth, String vintage) {
    this(horizonYears, horizonMonths, windows, lookbackMonths, firstMonth, lastMonth, vintage,
        new Escalation(25, 12), defaultAgreement());
  }

  static Agreement defaultAgreement() {
    return new Agreement(List.of(new Check(482, "2013-01", "2013-12")), 5, 0.10, 0.9);
  }

  public static PanelConfig from(Settings settings) {
    List<Integer> windows = settings.integers("panel.country-month.windows");
    if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1 || w > 120)) {
      throw settings.problem("panel.country-month.windows", "a non-empty list of months from 1 to 120");
    }
    String first = settings.string("panel.country-month.first-month");
    String last = settings.string("panel.country-month.last-month");
    if (!first.matches("\\d{4}-\\d{2}")) {
      throw settings.problem("panel.country-month.first-month", "a month as yyyy-MM, e.g. 1989-01");
    }
    if (!last.equals("auto") && !last.matches("\\d{4}-\\d{2}")) {
      throw settings.problem("panel.country-month.last-month", "auto or a month as yyyy-MM");
    }
    List<Check> checks = new java.util.ArrayList<>();
    String a = "panel.country-month.agreement";
    if (settings.has(a + ".checks")) {
      var list = settings.raw().getConfigList(a + ".checks");
      for (int i = 0; i < list.size(); i++) {
        var c = list.get(i);
        try {
          String from = c.getString("from");
          String to = c.getString("to");
          if (!from.matches("\\d{4}-\\d{2}") || !to.matches("\\d{4}-\\d{2}")) {
            throw settings.problem(a + ".checks[" + i + "]", "from and to as yyyy-MM");
          }
          checks.add(new Check(c.getInt("gw"), from, to));
        } catch (com.typesafe.config.ConfigException e) {
          throw settings.problem(a + ".checks[" + i + "]", "{ gw = <G-W code>, from = yyyy-MM, to = yyyy-MM }");
        }
      }
    }
    Agreement agreement = settings.has(a + ".tolerance-deaths")
        ? new Agreement(checks, settings.integer(a + ".tolerance-deaths", 0, 1_000_000),
            settings.number(a + ".tolerance-share", 0, 1), settings.number(a + ".min-agreeing-share", 0, 1))
        : new Agreement(checks, 5, 0.10, 0.9);
    String e = "panel.country-month.escalation";
    Escalation escalation = new Escalation(
        settings.has(e + ".threshold") ? settings.integer(e + ".threshold", 1, 1_000_000) : 25,
        settings.has(e + ".quiet-months") ? settings.integer(e + ".quiet-months", 1, 120) : 12);
    return new PanelConfig(
        settings.integer("panel.outcome.horizon-years", 1, 10),
        settings.integer("panel.outcome.horizon-months", 1, 60),
        windows,
        settings.integer("panel.country-month.lookback-months", 1, 120),
        first,
        last,
        settings.string("panel.vintage"),
        escalation,
        agreement);
  }

  /** Defaults as in conf/panel.conf, for tests and notebooks. */
  public static PanelConfig defaults() {
    return new PanelConfig(2, 12, List.of(3, 6, 12), 12, "1989-01", "auto", "auto");
  }
}
