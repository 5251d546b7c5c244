package org.ewarn.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * A real-size country-month panel in the shape of panel_country_month (jobs/MARTS.md), built
 * straight from the UCDP GED country-month series of the VIEWS team (every country, 1989-01 …
 * 2021-06), so the monthly back-test can be tested on real data without the panel stage. The unit
 * is the VIEWS country id (its own code, not G-W: the back-test only needs a stable key); coups and
 * protests are not in this series, so their columns are 0. {@code os_escalation_onset} follows
 * the contract's definition: the first month with ≥ T one-sided deaths after ≥ Q months below T,
 * unknown (null) while fewer than Q earlier months exist.
 */
final class MonthlyPanelFixture {
  private MonthlyPanelFixture() {}

  static Path data(Path home, String file) {
    Path bundled = home.resolve("jobs/data/ucdp").resolve(file);
    return Files.exists(bundled) ? bundled : Path.of("/work/shared/data/ucdp").resolve(file);
  }

  private static Dataset<Row> cached;

  static synchronized Dataset<Row> panel(SparkSession spark, Path home) {
    if (cached == null) {
      cached = build(spark, home, 25, 12).cache();
    }
    return cached;
  }

  static Dataset<Row> build(SparkSession spark, Path home, int threshold, int quiet) {
    Dataset<Row> cm = spark.read().parquet(data(home, "ged-country-month-views-1989-2021.parquet").toString());
    Dataset<Row> months = spark.read().parquet(data(home, "views-months.parquet").toString());
    Dataset<Row> countries = spark.read().parquet(data(home, "views-countries.parquet").toString())
        .select(col("country_id"), col("name").as("country"));
    Dataset<Row> rows = cm.where(col("ged_best_os").isNotNull())
        .join(months, "month_id")
        .join(countries, List.of("country_id").toArray(String[]::new), "left")
        .select(col("country_id").cast("int").as("gw_code"),
            nameOrId(),
            col("year").cast("int").as("year"), col("month").cast("int").as("month"),
            col("year").cast("int").multiply(12).plus(col("month").cast("int")).minus(1).as("month_index"),
            col("ged_best_sb").cast("int").as("ged_sb_deaths"), col("ged_best_ns").cast("int").as("ged_ns_deaths"),
            col("ged_best_os").cast("int").as("ged_os_deaths"), col("ged_count_sb").cast("int").as("ged_sb_events"),
            col("ged_count_ns").cast("int").as("ged_ns_events"), col("ged_count_os").cast("int").as("ged_os_events"))
        .where(col("year").geq(1989));
    WindowSpec byMonth = Window.partitionBy("gw_code").orderBy("month_index");
    List<Column> windows = new java.util.ArrayList<>(List.of(col("*")));
    for (String c : List.of("ged_sb_deaths", "ged_ns_deaths", "ged_os_deaths", "ged_sb_events", "ged_ns_events",
        "ged_os_events")) {
      for (int w : List.of(3, 12)) {
        Column now = sum(col(c)).over(byMonth.rangeBetween(-(w - 1), 0));
        Column before = sum(col(c)).over(byMonth.rangeBetween(-(2L * w - 1), -w));
        windows.add(now.as(c + "_" + w + "m"));
        windows.add(now.minus(org.apache.spark.sql.functions.coalesce(before, lit(0))).as(c + "_trend_" + w + "m"));
      }
    }
    WindowSpec previous = byMonth.rangeBetween(-quiet, -1);
    windows.add(when(count(lit(1)).over(previous).lt(quiet), lit(null))
        .when(col("ged_os_deaths").geq(threshold).and(max(col("ged_os_deaths")).over(previous).lt(threshold)), lit(1))
        .otherwise(lit(0)).cast("int").as("os_escalation_onset"));
    return rows.select(windows.toArray(Column[]::new))
        .withColumn("coup_attempts_12m", lit(0)).withColumn("protests_repressed_12m", lit(0))
        .orderBy("gw_code", "month_index");
  }

  private static Column nameOrId() {
    return org.apache.spark.sql.functions.coalesce(col("country"),
        org.apache.spark.sql.functions.concat(lit("VIEWS "), col("country_id").cast("string"))).as("country");
  }
}
