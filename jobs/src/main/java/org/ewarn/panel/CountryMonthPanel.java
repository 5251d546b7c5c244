package org.ewarn.panel;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.max;
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

  /** Warehouse datasets with the columns of jobs/MARTS.md. {@code acledEvents} may be null. */
  public record Inputs(
      Dataset<Row> gedEvents,
      Dataset<Row> acledEvents,
      Dataset<Row> coups,
      Dataset<Row> protests,
      Dataset<Row> gwStates,
      Dataset<Row> episodes,
      Dataset<Row> pitfGenocide,
      int episodesLastYear) {}

  /** GED type_of_violence codes and the prefixes of their columns. */
  static final List<String[]> VIOLENCE_TYPES =
      List.of(new String[] {"1", "ged_sb"}, new String[] {"2", "ged_ns"}, new String[] {"3", "ged_os"});

  public static Dataset<Row> build(Inputs in, PanelConfig cfg) {
    Dataset<Row> ged = gedMonthly(in.gedEvents()).cache();
    Dataset<Row> acled = in.acledEvents() == null ? null : acledMonthly(in.acledEvents()).cache();
    Dataset<Row> coupList = withCoupDate(in.coups());
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

    Coverage gedCoverage = Coverage.of(ged, "month_index");
    Coverage acledCoverage = acled == null ? Coverage.NONE : Coverage.of(acled, "month_index");
    Coverage coupCoverage = Coverage.of(
        coupList.select(Months.index(col("coup_date")).as("m")), "m");
    Coverage protestCoverage = Coverage.of(
        in.protests().select(Months.index(coalesce(col("end_date"), col("start_date"))).as("m")), "m");

    YearMonth first = YearMonth.parse(cfg.firstMonth());
    YearMonth last = cfg.lastMonth().equals("auto") ? latestMonth(gedCoverage, acledCoverage) : YearMonth.parse(cfg.lastMonth());
    Dataset<Row> panel = spine(in.gwStates(), first, last);

    panel = joinCounts(panel, ged, gedCoverage, gedCountColumns());
    panel = panel.withColumn("ged_adm1_set",
        when(gedCoverage.contains(col("month_index")), coalesce(col("ged_adm1_set"), expr("array()").cast("array<string>"))));
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
    List<String> rolled = new ArrayList<>(gedCountColumns());
    rolled.addAll(List.of("acled_civ_events", "acled_civ_deaths"));
    for (int w : cfg.windows()) {
      WindowSpec current = byMonth.rangeBetween(-(w - 1), 0);
      WindowSpec previous = byMonth.rangeBetween(-(2L * w - 1), -w);
      for (String c : rolled) {
        rolling.add(sum(col(c)).over(current).as(c + "_" + w + "m"));
        rolling.add(sum(col(c)).over(current).minus(coalesce(sum(col(c)).over(previous), lit(0)))
            .as(c + "_trend_" + w + "m"));
      }
      rolling.add(when(gedCoverage.contains(col("month_index")),
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
            when(gedCoverage.contains(col("month_index")), col("ged_adm1_units")))
        .drop("ged_adm1_set");

    panel = withOutcomes(panel, in, cfg.horizonMonths());
    ged.unpersist();
    if (acled != null) {
      acled.unpersist();
    }
    return panel.orderBy("gw_code", "month_index");
  }

  static List<String> gedCountColumns() {
    List<String> out = new ArrayList<>();
    for (String[] t : VIOLENCE_TYPES) {
      out.add(t[1] + "_events");
      out.add(t[1] + "_deaths");
    }
    return out;
  }

  /** Events and best-estimate fatalities per country, month and violence type. */
  static Dataset<Row> gedMonthly(Dataset<Row> events) {
    events = oneRowPerEvent(events);
    List<Column> aggs = new ArrayList<>();
    for (String[] t : VIOLENCE_TYPES) {
      Column isType = col("type_of_violence").cast("int").equalTo(Integer.parseInt(t[0]));
      aggs.add(sum(when(isType, 1).otherwise(0)).cast("int").as(t[1] + "_events"));
      aggs.add(sum(when(isType, coalesce(col("best").cast("int"), lit(0))).otherwise(0)).cast("int").as(t[1] + "_deaths"));
    }
    aggs.add(collect_set(col("adm_1")).as("ged_adm1_set"));
    return events
        .withColumn("month_index", Months.index(col("date_end")))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /** The coup's date from year, month and day when the dataset has no {@code coup_date}. */
  static Dataset<Row> withCoupDate(Dataset<Row> coups) {
    return Outcomes.hasColumn(coups, "coup_date") ? coups
        : coups.withColumn("coup_date", make_date(col("year").cast("int"), col("month").cast("int"),
            coalesce(col("day").cast("int"), lit(1))));
  }

  /** GED files overlap (a country extract and a global sample of one version): count each id once. */
  static Dataset<Row> oneRowPerEvent(Dataset<Row> events) {
    return Outcomes.hasColumn(events, "id") ? events.dropDuplicates("id") : events;
  }

  /** ACLED events coded as civilian targeting (the {@code civilian_targeting} field is set). */
  static Dataset<Row> acledMonthly(Dataset<Row> events) {
    Column civilian = col("civilian_targeting").isNotNull().and(col("civilian_targeting").notEqual(""));
    return events
        .withColumn("month_index", Months.index(col("event_date")))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index")
        .agg(sum(when(civilian, 1).otherwise(0)).cast("int").as("acled_civ_events"),
            sum(when(civilian, coalesce(col("fatalities").cast("int"), lit(0))).otherwise(0)).cast("int")
                .as("acled_civ_deaths"));
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

  private static YearMonth latestMonth(Coverage ged, Coverage acled) {
    Integer last = ged.last();
    if (acled.last() != null && (last == null || acled.last() > last)) {
      last = acled.last();
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "no GED or ACLED events to date the country-month panel; set panel.country-month.last-month");
    }
    return Months.of(last);
  }

  /**
   * Onset outcomes {@code horizon} months ahead. EWP episodes are dated by year only, so an
   * episode counts when its start year lies after the row's year and no later than the year of the
   * horizon's last month; PITF episodes have a start month and count when it lies in (t, t+h].
   */
  static Dataset<Row> withOutcomes(Dataset<Row> panel, Inputs in, int horizon) {
    Dataset<Row> keys = panel.select("gw_code", "month_index")
        .withColumn("y0", expr("floor(month_index / 12)").cast("int"))
        .withColumn("y1", expr("floor((month_index + " + horizon + ") / 12)").cast("int"));
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "gw_code");
    Dataset<Row> ewp = keys.join(onsets,
            keys.col("gw_code").equalTo(onsets.col("key"))
                .and(onsets.col("onset_year").gt(keys.col("y0")))
                .and(onsets.col("onset_year").leq(keys.col("y1"))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"), keys.col("y1"))
        .agg(max(coalesce(onsets.col("any_led"), lit(0))).as("mk_onset_any_next"),
            max(coalesce(onsets.col("state_led"), lit(0))).as("mk_onset_state_next"),
            max(coalesce(onsets.col("non_state_led"), lit(0))).as("mk_onset_nonstate_next"));
    Column known = col("y1").leq(in.episodesLastYear());
    for (String c : List.of("mk_onset_any_next", "mk_onset_state_next", "mk_onset_nonstate_next")) {
      ewp = ewp.withColumn(c, when(known, col(c)).cast("int"));
    }
    ewp = ewp.drop("y1");

    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("gw_code").as("key"),
            Months.index(make_date(col("yrbegin").cast("int"),
                coalesce(col("mobegin").cast("int"), lit(1)), lit(1))).as("onset_month"),
            col("year").cast("int").as("pitf_year"))
        .where(col("key").isNotNull());
    Coverage pitfCoverage = Coverage.of(pitf.select((col("pitf_year").multiply(12).plus(11)).as("m")), "m");
    Dataset<Row> pitfOnsets = pitf.select("key", "onset_month").distinct();
    Dataset<Row> pitfRows = keys.join(pitfOnsets,
            keys.col("gw_code").equalTo(pitfOnsets.col("key"))
                .and(pitfOnsets.col("onset_month").gt(keys.col("month_index")))
                .and(pitfOnsets.col("onset_month").leq(keys.col("month_index").plus(horizon))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"))
        .agg(max(when(pitfOnsets.col("key").isNotNull(), 1).otherwise(0)).as("pitf_gp_onset_next"))
        .withColumn("pitf_gp_onset_next",
            when(pitfCoverage.contains(col("month_index").plus(horizon)), col("pitf_gp_onset_next")).cast("int"));

    return panel.join(ewp, new String[] {"gw_code", "month_index"}, "left")
        .join(pitfRows, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("outcome_horizon_months", lit(horizon));
  }
}
