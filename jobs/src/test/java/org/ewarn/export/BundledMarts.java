package org.ewarn.export;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;

/**
 * Marts shaped as jobs/MARTS.md describes, built from the EWP's real out-of-sample forecasts
 * (jobs/data/ewp/out-of-sample-forecasts-2023.csv.gz: the risk and rank each country had the year
 * before each country-year, and whether a mass killing began). Stands in for the forecast and
 * back-test stages in tests of the export and the nightly runner until those stages land.
 */
public final class BundledMarts {
  public static final Path FORECASTS = org.ewarn.config.Settings.home()
      .resolve("jobs/data/ewp/out-of-sample-forecasts-2023.csv.gz");
  public static final String MODEL = "ewp_out_of_sample";
  static final String SCHEMA = "row_id STRING, year INT, country STRING, ccode INT, mk_onset INT,"
      + " prev_year INT, two_years_prior INT, risk_prev DOUBLE, rank_prev INT,"
      + " risk_two_years_prior DOUBLE, rank_two_years_prior INT, maxrisk2 DOUBLE, minrank2 INT";
  public static final List<String> MARTS =
      List.of("backtest_warnings", "risk_trajectories", "backtest_cases", "backtest_metrics");

  private BundledMarts() {}

  public static Dataset<Row> forecasts(SparkSession spark, Path csv) {
    return spark.read().schema(SCHEMA).option("header", "true").option("nullValue", "NA")
        .csv(csv.toString());
  }

  public static Dataset<Row> warnings(Dataset<Row> forecasts) {
    return forecasts.select(lit(MODEL).as("model"), col("year"), col("country"), col("ccode"),
        col("mk_onset"), col("risk_prev"), col("rank_prev"), col("risk_two_years_prior"),
        col("rank_two_years_prior"), col("maxrisk2"), col("minrank2"));
  }

  public static Dataset<Row> trajectories(Dataset<Row> forecasts) {
    return forecasts.where(col("risk_prev").isNotNull()).select(lit(MODEL).as("model"),
        col("year").cast("string").as("edition"), col("country"), col("ccode"),
        col("prev_year").as("year"), lit(1).as("horizon"), col("risk_prev").as("risk"),
        col("rank_prev").as("rank"));
  }

  public static Dataset<Row> cases(Dataset<Row> forecasts) {
    return forecasts.where(col("mk_onset").equalTo(1)).select(lit(MODEL).as("model"),
            col("country"), col("ccode"), col("year").as("onset_year"),
            col("rank_prev").as("rank_1_before"), col("rank_two_years_prior").as("rank_2_before"),
            col("risk_prev").as("risk_1_before"), col("risk_two_years_prior").as("risk_2_before"))
        .withColumn("flagged_1_before", coalesce(col("rank_1_before").leq(30), lit(false)))
        .withColumn("flagged_2_before", coalesce(col("rank_2_before").leq(30), lit(false)))
        .withColumn("missed", not(col("flagged_1_before").or(col("flagged_2_before"))));
  }

  public static Dataset<Row> metrics(Dataset<Row> forecasts) {
    Dataset<Row> cases = cases(forecasts);
    long rows = forecasts.count();
    return cases.groupBy(col("model"))
        .agg(avg(when(col("flagged_1_before"), 1.0).otherwise(0.0)).as("recall_at_30"),
            count(lit(1)).as("onsets"))
        .select(col("model"), lit("external").as("protocol"), lit("pooled").as("scope"),
            col("recall_at_30"), col("onsets"), lit(rows).as("rows"));
  }

  /** Publishes the four marts from {@code csv} under one vintage; returns mart → partition dir. */
  public static Map<String, String> publish(SparkSession spark, Warehouse warehouse, Path csv,
      String vintage, String runId) {
    Dataset<Row> forecasts = forecasts(spark, csv).cache();
    Map<String, Dataset<Row>> marts = new LinkedHashMap<>();
    marts.put("backtest_warnings", warnings(forecasts));
    marts.put("risk_trajectories", trajectories(forecasts));
    marts.put("backtest_cases", cases(forecasts));
    marts.put("backtest_metrics", metrics(forecasts));
    Map<String, String> out = new LinkedHashMap<>();
    Manifest.InputFile input = Checksums.describe(csv);
    marts.forEach((name, rows) -> {
      if (warehouse.partition(name, vintage).isPresent()) {
        out.put(name, warehouse.partition(name, vintage).get().location());
        return;
      }
      Manifest m = new Manifest(name, vintage, "test-marts", runId, List.of(input), List.of(),
          Map.of("rows", rows.count()), List.of(), "test", "test", Instant.now().toString(),
          Instant.now().toString(), Map.of());
      out.put(name, SparkMarts.publish(warehouse, name, vintage, rows, m).location());
    });
    forecasts.unpersist();
    return out;
  }
}
