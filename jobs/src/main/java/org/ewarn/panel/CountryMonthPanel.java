package org.ewarn.panel;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The country-month panel (key {@code gw_code}, {@code month}): event counts and fatalities by UCDP
 * violence type and ACLED civilian targeting, rolling sums, trends, spatial spread, recent coups and
 * repression, and onset outcomes.
 *
 * <p>An event belongs to the month of its {@code date_end}: only then is it complete, so a row never
 * counts an event still going on after its month (the leakage rule). Rows exist for every month a
 * country is a member of the Gleditsch-Ward state system; inside a source's coverage a month
 * without events is zero, outside it null. Key: gw_code, month_index (year × 12 + month − 1); also
 * year, month (1–12) and month_start (date).
 */
public final class CountryMonthPanel {
  private CountryMonthPanel() {}

  /**
   * Warehouse datasets with the columns of jobs/MARTS.md. {@code acledEvents} may be null; so may
   * {@code gedEvents} or {@code gedSeries} (the {@code ucdp_ged_cm} country-month series), not both.
   * {@code gedCoverage}: where the events are complete (from their sources' {@code coverage}); null
   * means every country over the events' span, as for one full GED release.
   */
  public record Inputs(
      Dataset<Row> gedEvents,
      Dataset<Row> acledEvents,
      Dataset<Row> coups,
      Dataset<Row> protests,
      Dataset<Row> gwStates,
      Dataset<Row> episodes,
      Dataset<Row> pitfGenocide,
      int episodesLastYear,
      Dataset<Row> gedSeries,
      EventCoverage gedCoverage) {
    public Inputs(Dataset<Row> gedEvents, Dataset<Row> acledEvents, Dataset<Row> coups, Dataset<Row> protests,
        Dataset<Row> gwStates, Dataset<Row> episodes, Dataset<Row> pitfGenocide, int episodesLastYear,
        Dataset<Row> gedSeries) {
      this(gedEvents, acledEvents, coups, protests, gwStates, episodes, pitfGenocide, episodesLastYear, gedSeries, null);
    }

    public Inputs(Dataset<Row> gedEvents, Dataset<Row> acledEvents, Dataset<Row> coups, Dataset<Row> protests,
        Dataset<Row> gwStates, Dataset<Row> episodes, Dataset<Row> pitfGenocide, int episodesLastYear) {
      this(gedEvents, acledEvents, coups, protests, gwStates, episodes, pitfGenocide, episodesLastYear, null);
    }
  }

  /** Values of {@code ged_source}. */
  public static final String FROM_SERIES = "ged_cm_views";
  public static final String FROM_EVENTS = "ged_events";

  /** The onset-month outcome columns (1 in the onset month; lead-h targets are derived from them). */
  public static final List<String> ONSET_MONTH_COLUMNS =
      List.of("os_escalation_onset", "ewp_mk_onset_month", "pitf_gp_onset_month");

  public static Dataset<Row> build(Inputs in, PanelConfig cfg) {
    if (in.gedEvents() == null && in.gedSeries() == null) {
      throw new IllegalArgumentException("the country-month panel needs GED events or the GED country-month series");
    }
    Dataset<Row> ged = (in.gedEvents() == null ? MonthlySources.emptyGedMonthly(in.gwStates()) : MonthlySources.gedMonthly(in.gedEvents())).cache();
    Dataset<Row> series = in.gedSeries() == null ? null : MonthlySources.seriesMonthly(in.gedSeries()).cache();
    Dataset<Row> acled = in.acledEvents() == null ? null : MonthlySources.acledMonthly(in.acledEvents()).cache();
    Dataset<Row> coupList = MonthlySources.withCoupDate(in.coups());
    Dataset<Row> coups = coupList
        .select(col("gw_code"), Months.index(col("coup_date")).as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index").agg(count(lit(1)).cast(DataTypes.IntegerType).as("coup_attempts"));
    Dataset<Row> repression = in.protests()
        .where(col("killings").cast("int").equalTo(1).or(col("shootings").cast("int").equalTo(1)))
        .select(col("gw_code"),
            Months.index(coalesce(col("end_date"), col("start_date"))).as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index").agg(count(lit(1)).cast(DataTypes.IntegerType).as("protests_repressed"));

    EventCoverage gedCoverage = in.gedCoverage() != null ? in.gedCoverage()
        : in.gedEvents() == null ? EventCoverage.NONE : EventCoverage.of(in.gedEvents(), org.ewarn.ingest.IngestConfig.COMPLETE);
    // every source's span in one aggregation, the PITF list's for the outcomes too
    List<Coverage.Periods> periods = new ArrayList<>(List.of(
        new Coverage.Periods(coupList, Months.index(col("coup_date"))),
        new Coverage.Periods(in.protests(), Months.index(coalesce(col("end_date"), col("start_date")))),
        MonthlyOutcomes.pitfYears(in),
        MonthlyOutcomes.pitfLastMonths(in)));
    if (acled != null) {
      periods.add(new Coverage.Periods(acled, col("month_index")));
    }
    if (series != null) {
      periods.add(new Coverage.Periods(series, col("month_index")));
    }
    List<Coverage> spans = Coverage.of(periods);
    Coverage coupCoverage = spans.get(0);
    Coverage protestCoverage = spans.get(1);
    Coverage pitfYears = spans.get(2);
    Coverage pitfMonths = spans.get(3);
    Coverage acledCoverage = acled == null ? Coverage.NONE : spans.get(4);
    Coverage seriesCoverage = series == null ? Coverage.NONE : spans.get(spans.size() - 1);

    YearMonth first = YearMonth.parse(cfg.firstMonth());
    YearMonth last = cfg.lastMonth().equals("auto")
        ? latestMonth(new Coverage(gedCoverage.last(), gedCoverage.last()), acledCoverage, seriesCoverage)
        : YearMonth.parse(cfg.lastMonth());
    Dataset<Row> panel = spine(in.gwStates(), first, last);

    panel = MonthlySources.withGed(panel, ged, gedCoverage, series);
    panel = panel.withColumn("ged_adm1_set",
        when(gedCoverage.contains(col("gw_code"), col("month_index")), coalesce(col("ged_adm1_set"), expr("array()").cast("array<string>"))));
    if (acled != null) {
      panel = joinCounts(panel, acled, acledCoverage, List.of("acled_civ_events", "acled_civ_deaths"));
    } else {
      panel = panel.withColumn("acled_civ_events", lit(null).cast("int"))
          .withColumn("acled_civ_deaths", lit(null).cast("int"));
    }
    panel = joinCounts(panel, coups, coupCoverage, List.of("coup_attempts"));
    panel = joinCounts(panel, repression, protestCoverage, List.of("protests_repressed"));

    WindowSpec byMonth = Window.partitionBy("gw_code").orderBy("month_index");
    List<Column> rolling = new ArrayList<>();
    List<String> rolled = new ArrayList<>(MonthlySources.gedCountColumns());
    rolled.addAll(List.of("acled_civ_events", "acled_civ_deaths"));
    for (int w : cfg.windows()) {
      WindowSpec current = byMonth.rangeBetween(-(w - 1), 0);
      WindowSpec previous = byMonth.rangeBetween(-(2L * w - 1), -w);
      for (String c : rolled) {
        rolling.add(sum(col(c)).over(current).as(c + "_" + w + "m"));
        rolling.add(sum(col(c)).over(current).minus(coalesce(sum(col(c)).over(previous), lit(0)))
            .as(c + "_trend_" + w + "m"));
      }
      rolling.add(when(gedCoverage.contains(col("gw_code"), col("month_index")),
              size(array_distinct(flatten(collect_list(col("ged_adm1_set")).over(current)))))
          .as("ged_adm1_units_" + w + "m"));
    }
    WindowSpec lookback = byMonth.rangeBetween(-(cfg.lookbackMonths() - 1), 0);
    rolling.add(sum(col("coup_attempts")).over(lookback).as("coup_attempts_" + cfg.lookbackMonths() + "m"));
    rolling.add(sum(col("protests_repressed")).over(lookback).as("protests_repressed_" + cfg.lookbackMonths() + "m"));

    List<Column> all = new ArrayList<>();
    all.add(col("*"));
    all.addAll(rolling);
    panel = panel.select(all.toArray(Column[]::new))
        .withColumn("ged_adm1_units", size(col("ged_adm1_set")).cast("int"))
        .withColumn("ged_adm1_units",
            when(gedCoverage.contains(col("gw_code"), col("month_index")), col("ged_adm1_units")))
        .drop("ged_adm1_set")
        // the outcomes join the panel to its own keys and group it by year: without the cache
        // each of those reads re-ran the spine, the five source joins and the rolling windows
        .cache();

    panel = MonthlyOutcomes.withOutcomes(panel, in, cfg.horizonMonths(), pitfMonths);
    panel = MonthlyOutcomes.withOnsetMonths(panel, in, cfg.escalation(), pitfYears);
    ged.unpersist();
    if (series != null) {
      series.unpersist();
    }
    if (acled != null) {
      acled.unpersist();
    }
    return panel.orderBy("gw_code", "month_index");
  }

  /** One row per member state and month: membership from the Gleditsch-Ward list. */
  static Dataset<Row> spine(Dataset<Row> gwStates, YearMonth first, YearMonth last) {
    Column from = greatest(trunc(col("start"), "month"), to_date(lit(first.atDay(1).toString())));
    Column to = least(trunc(col("end"), "month"), to_date(lit(last.atDay(1).toString())));
    return gwStates
        .where(from.leq(to))
        .select(col("gw_code").cast("int").as("gw_code"),
            explode(sequence(from, to, expr("interval 1 month"))).as("month_start"))
        .distinct()
        .withColumn("month_index", Months.index(col("month_start")))
        .withColumn("year", org.apache.spark.sql.functions.year(col("month_start")))
        .withColumn("month", org.apache.spark.sql.functions.month(col("month_start")));
  }

  private static Dataset<Row> joinCounts(
      Dataset<Row> panel, Dataset<Row> monthly, Coverage coverage, List<String> counts) {
    Dataset<Row> joined = panel.join(monthly, new String[] {"gw_code", "month_index"}, "left");
    for (String c : counts) {
      joined = joined.withColumn(c,
          when(coverage.contains(col("month_index")), coalesce(col(c), lit(0))).cast("int"));
    }
    return joined;
  }

  private static YearMonth latestMonth(Coverage... sources) {
    Integer last = null;
    for (Coverage c : sources) {
      if (c.last() != null && (last == null || c.last() > last)) {
        last = c.last();
      }
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "no GED series, GED or ACLED events to date the country-month panel; set panel.country-month.last-month");
    }
    return Months.of(last);
  }

}
