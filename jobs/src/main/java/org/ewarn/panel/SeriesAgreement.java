package org.ewarn.panel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where GED events and the GED country-month series both cover a configured span, whether their
 * one-sided deaths agree month by month (recorded in the country-month panel's manifest).
 */
public final class SeriesAgreement {
  private SeriesAgreement() {}

  /** One agreement check between GED events and the series: one-sided deaths month by month. */
  public record Result(PanelConfig.Check check, int months, int agreeing, long seriesDeaths,
      long eventsDeaths, long maxDifference, boolean passed, String note) {
    /** The manifest line, e.g. {@code 12/12 months agree; one-sided deaths series 2690, events 2690, max |diff| 0; pass}. */
    public String describe() {
      if (note != null) {
        return note;
      }
      return agreeing + "/" + months + " months agree; one-sided deaths series " + seriesDeaths + ", events "
          + eventsDeaths + ", largest monthly difference " + maxDifference + "; " + (passed ? "pass" : "FAIL");
    }
  }

  /**
   * Compares one-sided deaths of the events and the series for each configured country-month span
   * where both are loaded. Months of the span the series has; events count zero in a month of their
   * coverage without an event. Small: a few dozen rows collected to the driver.
   */
  public static List<Result> of(Dataset<Row> gedEvents, Dataset<Row> gedSeries, PanelConfig.Agreement cfg) {
    List<Result> out = new ArrayList<>();
    if (gedEvents == null || gedSeries == null) {
      return out;
    }
    Dataset<Row> events = MonthlySources.gedMonthly(gedEvents).select("gw_code", "month_index", "ged_os_deaths");
    Coverage eventsCoverage = Coverage.of(events, "month_index");
    Dataset<Row> series = MonthlySources.seriesMonthly(gedSeries).select(col("gw_code"), col("month_index"),
        col("ged_os_deaths").as("series_os"));
    for (PanelConfig.Check c : cfg.checks()) {
      int from = Months.index(YearMonth.parse(c.from()));
      int to = Months.index(YearMonth.parse(c.to()));
      Column span = col("month_index").between(from, to).and(col("gw_code").equalTo(c.gwCode()));
      List<Row> rows = series.where(span)
          .join(events.where(span), new String[] {"gw_code", "month_index"}, "left")
          .where(eventsCoverage.contains(col("month_index")))
          .select(col("series_os"), coalesce(col("ged_os_deaths"), lit(0)).as("events_os"),
              col("ged_os_deaths").isNotNull().as("has_events"))
          .collectAsList();
      boolean anyEvents = rows.stream().anyMatch(r -> r.getBoolean(2));
      if (rows.isEmpty() || !anyEvents) {
        out.add(new Result(c, 0, 0, 0, 0, 0, true,
            "not compared: no GED events of G-W " + c.gwCode() + " " + c.from() + " ... " + c.to() + " loaded"));
        continue;
      }
      int agreeing = 0;
      long seriesTotal = 0;
      long eventsTotal = 0;
      long maxDiff = 0;
      for (Row r : rows) {
        long a = ((Number) r.get(0)).longValue();
        long b = ((Number) r.get(1)).longValue();
        long diff = Math.abs(a - b);
        seriesTotal += a;
        eventsTotal += b;
        maxDiff = Math.max(maxDiff, diff);
        if (diff <= cfg.toleranceDeaths() || diff <= cfg.toleranceShare() * Math.max(a, b)) {
          agreeing++;
        }
      }
      boolean passed = agreeing >= cfg.minAgreeingShare() * rows.size();
      out.add(new Result(c, rows.size(), agreeing, seriesTotal, eventsTotal, maxDiff, passed, null));
    }
    return out;
  }
}
