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
 */
public record PanelConfig(
    int horizonYears,
    int horizonMonths,
    List<Integer> windows,
    int lookbackMonths,
    String firstMonth,
    String lastMonth,
    String vintage)
    implements Serializable {

  public PanelConfig {
    windows = List.copyOf(windows);
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
    return new PanelConfig(
        settings.integer("panel.outcome.horizon-years", 1, 10),
        settings.integer("panel.outcome.horizon-months", 1, 60),
        windows,
        settings.integer("panel.country-month.lookback-months", 1, 120),
        first,
        last,
        settings.string("panel.vintage"));
  }

  /** Defaults as in conf/panel.conf, for tests and notebooks. */
  public static PanelConfig defaults() {
    return new PanelConfig(2, 12, List.of(3, 6, 12), 12, "1989-01", "auto", "auto");
  }
}
