package org.ewarn.panel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The country-year panel: the EWP model panel (39 predictors and the EWP outcomes, key
 * {@code ccode}/{@code year}) plus event-derived features and onset outcomes with a configurable
 * horizon. Event features of year t use only events dated in or before t (GED by {@code date_end},
 * coups by {@code coup_date}, protests by their year); they are null for years a source does not
 * cover, so "no data" never reads as "no violence".
 */
public final class CountryYearPanel {
  private CountryYearPanel() {}

  /** Warehouse datasets with the columns of jobs/MARTS.md. */
  public record Inputs(
      Dataset<Row> predictors,
      Dataset<Row> gedEvents,
      Dataset<Row> coups,
      Dataset<Row> protests,
      Dataset<Row> pitfGenocide,
      Dataset<Row> episodes,
      Dataset<Row> organizedViolence) {
    public Inputs(Dataset<Row> predictors, Dataset<Row> gedEvents, Dataset<Row> coups, Dataset<Row> protests,
        Dataset<Row> pitfGenocide, Dataset<Row> episodes) {
      this(predictors, gedEvents, coups, protests, pitfGenocide, episodes, null);
    }
  }

  /**
   * UCDP Organized Violence (dataset {@code ucdp_ov_cy}) deaths of the row's own year, so dated
   * ≤ t; null when OV has no row for the country-year (or was not ingested).
   */
  public static final List<String> OV_FEATURES =
      List.of("ov_os_deaths", "ov_os_gov_deaths", "ov_os_nonstate_deaths", "ov_ns_deaths", "ov_sb_deaths");

  /** Columns this panel adds to the EWP predictors (features first, then outcomes). */
  public static final List<String> EVENT_FEATURES = List.of(
      "coup_attempts_1yr", "coup_attempts_5yr", "protests_repressed",
      "ged_sb_deaths", "ged_ns_deaths", "ged_os_deaths", "pitf_gp_ongoing");

  public static Dataset<Row> build(Inputs in, PanelConfig cfg) {
    return build(in, cfg, ((Number) in.predictors().agg(max(col("year").cast("int"))).first().get(0)).intValue());
  }

  /** As {@link #build(Inputs, PanelConfig)} with the predictors' latest year known (it dates the EWP outcomes). */
  public static Dataset<Row> build(Inputs in, PanelConfig cfg, int latestPredictorYear) {
    Dataset<Row> base = in.predictors();
    for (String lineage : List.of("source_file", "source_line")) {
      base = base.drop(lineage);
    }
    base = base.withColumn("year", col("year").cast("int")).withColumn("ccode", col("ccode").cast("int"));
    Dataset<Row> keys = base.select("ccode", "year", "cow_code", "gw_code");

    Dataset<Row> coups = MonthlySources.withCoupDate(in.coups())
        .select(col("cow_code").as("k"), coalesce(year(col("coup_date")), col("year").cast("int")).as("y"));
    Dataset<Row> protests = in.protests()
        .where(col("killings").cast("int").equalTo(1).or(col("shootings").cast("int").equalTo(1)))
        .select(col("cow_code").as("k"), col("year").cast("int").as("y"));
    Dataset<Row> ged = MonthlySources.oneRowPerEvent(in.gedEvents())
        .select(col("gw_code").as("k"), year(col("date_end")).as("y"),
            col("type_of_violence").cast("int").as("type"), coalesce(col("best").cast("int"), lit(0)).as("best"));
    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("cow_code").as("k"), col("year").cast("int").as("y"));

    List<Coverage> years = Coverage.of(List.of(
        new Coverage.Periods(in.coups(), col("year").cast("int")),
        new Coverage.Periods(in.protests(), col("year").cast("int")),
        new Coverage.Periods(ged, col("y")),
        new Coverage.Periods(pitf, col("y"))));
    Coverage coupYears = years.get(0);
    Coverage protestYears = years.get(1);
    Coverage gedYears = years.get(2);
    Coverage pitfYears = years.get(3);

    // Every feature is an aggregate of the events of the row's country dated in [t − back, t]. Each
    // event is repeated for the years it counts in, and all features of one country key are
    // aggregated in one pass: two groupings and two joins instead of a join, a grouping and a join
    // back per feature (each a Spark job of its own on a few thousand rows).
    List<WindowFeature> byCow = List.of(
        new WindowFeature("coup_attempts_1yr", coups, 0, null, coupYears),
        new WindowFeature("coup_attempts_5yr", coups, 4, null, coupYears),
        new WindowFeature("protests_repressed", protests, 0, null, protestYears),
        new WindowFeature("pitf_gp_ongoing", pitf.distinct(), 0, null, pitfYears));
    List<WindowFeature> byGw = List.of(
        new WindowFeature("ged_sb_deaths", ged.where(col("type").equalTo(1)), 0, col("best"), gedYears),
        new WindowFeature("ged_ns_deaths", ged.where(col("type").equalTo(2)), 0, col("best"), gedYears),
        new WindowFeature("ged_os_deaths", ged.where(col("type").equalTo(3)), 0, col("best"), gedYears));
    Dataset<Row> features = withWindowFeatures(keys, "cow_code", byCow);
    features = withWindowFeatures(features, "gw_code", byGw);
    List<Column> ordered = new ArrayList<>(List.of(col("ccode"), col("year")));
    for (String name : EVENT_FEATURES) {
      ordered.add(col(name));
    }
    features = features.select(ordered.toArray(Column[]::new))
        .withColumn("pitf_gp_ongoing", when(col("pitf_gp_ongoing").gt(0), 1)
            .when(col("pitf_gp_ongoing").isNotNull(), 0));

    Dataset<Row> panel = base.join(features, new String[] {"ccode", "year"}, "left");
    panel = withOrganizedViolence(panel, in.organizedViolence());
    panel = withOutcomes(panel, in, cfg.horizonYears(), latestPredictorYear, pitfYears);
    return panel.orderBy("ccode", "year");
  }

  /**
   * Joined by COW code (the panel's {@code ccode}): UCDP numbers Serbia/Yugoslavia 345 throughout,
   * which the crosswalk maps to COW 345 as EWP does, while G-W splits it (345, then 340).
   */
  static Dataset<Row> withOrganizedViolence(Dataset<Row> panel, Dataset<Row> ov) {
    if (ov == null) {
      for (String c : OV_FEATURES) {
        panel = panel.withColumn(c, lit(null).cast("long"));
      }
      return panel;
    }
    Dataset<Row> byCountryYear = ov.where(col("cow_code").isNotNull())
        .groupBy(col("cow_code").cast("int").as("ccode"), col("year").cast("int").as("year"))
        .agg(sum(col("os_deaths")).cast("long").as("ov_os_deaths"),
            sum(col("os_gov_deaths")).cast("long").as("ov_os_gov_deaths"),
            sum(col("os_nonstate_deaths")).cast("long").as("ov_os_nonstate_deaths"),
            sum(col("ns_deaths")).cast("long").as("ov_ns_deaths"),
            sum(col("sb_deaths")).cast("long").as("ov_sb_deaths"));
    return panel.join(byCountryYear, new String[] {"ccode", "year"}, "left");
  }

  /**
   * One feature: {@code value} summed (null: events counted) over the events (columns k, y) of the
   * row's country dated in [t − back, t]; zero when there are none and the source covers year t,
   * null when it does not.
   */
  record WindowFeature(String name, Dataset<Row> events, int back, Column value, Coverage coverage) {}

  /** Adds each feature's column to {@code rows}, whose country key for these events is {@code key}. */
  static Dataset<Row> withWindowFeatures(Dataset<Row> rows, String key, List<WindowFeature> features) {
    Dataset<Row> all = null;
    for (int i = 0; i < features.size(); i++) {
      WindowFeature f = features.get(i);
      Column years = f.back() == 0 ? col("y") : explode(sequence(col("y"), col("y").plus(f.back())));
      Dataset<Row> counted = f.events().select(col("k"), years.as("year"), lit(i).as("_feature"),
          (f.value() == null ? lit(1) : f.value()).as("_value"));
      all = all == null ? counted : all.union(counted);
    }
    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      WindowFeature f = features.get(i);
      Column mine = col("_feature").equalTo(i);
      aggregates.add((f.value() == null ? count(when(mine, 1)) : sum(when(mine, col("_value")))).cast("long").as(f.name()));
    }
    Dataset<Row> byKeyYear = all.where(col("k").isNotNull().and(col("year").isNotNull()))
        .groupBy(col("k"), col("year"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    Dataset<Row> r = rows.alias("r");
    Dataset<Row> e = byKeyYear.alias("e");
    List<Column> out = new ArrayList<>();
    out.add(col("r.*"));
    for (WindowFeature f : features) {
      out.add(when(f.coverage().contains(col("r.year")), coalesce(col("e." + f.name()), lit(0L))).as(f.name()));
    }
    return r.join(e, col("r." + key).equalTo(col("e.k")).and(col("r.year").equalTo(col("e.year"))), "left")
        .select(out.toArray(Column[]::new));
  }

  /**
   * Onsets in years t+1 … t+horizon: EWP state-led, non-state-led and either, and PITF
   * genocide/politicide as the alternative outcome; null when the horizon passes the last year the
   * list covers.
   */
  static Dataset<Row> withOutcomes(Dataset<Row> panel, Inputs in, int horizon, int ewpLast, Coverage pitfYears) {
    Dataset<Row> keys = panel.select("ccode", "year", "cow_code");
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "cow_code");
    Dataset<Row> ewp = keys.join(onsets, keys.col("cow_code").equalTo(onsets.col("key"))
            .and(onsets.col("onset_year").gt(keys.col("year")))
            .and(onsets.col("onset_year").leq(keys.col("year").plus(horizon))), "left")
        .groupBy(keys.col("ccode"), keys.col("year"))
        .agg(max(coalesce(onsets.col("any_led"), lit(0))).as("mk_onset_any_within"),
            max(coalesce(onsets.col("state_led"), lit(0))).as("mk_onset_state_within"),
            max(coalesce(onsets.col("non_state_led"), lit(0))).as("mk_onset_nonstate_within"));
    Column ewpKnown = col("year").plus(horizon).leq(ewpLast);
    List<String> outcomeColumns = new ArrayList<>(List.of(
        "mk_onset_any_within", "mk_onset_state_within", "mk_onset_nonstate_within"));
    for (String c : outcomeColumns) {
      ewp = ewp.withColumn(c, when(ewpKnown, col(c)).cast("int"));
    }
    Dataset<Row> pitfOnsets = in.pitfGenocide()
        .select(col("cow_code").as("key"), col("yrbegin").cast("int").as("onset_year")).distinct();
    Dataset<Row> pitf = keys.join(pitfOnsets, keys.col("cow_code").equalTo(pitfOnsets.col("key"))
            .and(pitfOnsets.col("onset_year").gt(keys.col("year")))
            .and(pitfOnsets.col("onset_year").leq(keys.col("year").plus(horizon))), "left")
        .groupBy(keys.col("ccode"), keys.col("year"))
        .agg(max(when(pitfOnsets.col("key").isNotNull(), 1).otherwise(0)).as("pitf_gp_onset_within"))
        .withColumn("pitf_gp_onset_within",
            when(pitfYears.contains(col("year").plus(horizon)), col("pitf_gp_onset_within")).cast("int"));
    return panel.join(ewp, new String[] {"ccode", "year"}, "left")
        .join(pitf, new String[] {"ccode", "year"}, "left")
        .withColumn("outcome_horizon_years", lit(horizon));
  }
}
