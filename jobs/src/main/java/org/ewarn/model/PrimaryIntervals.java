package org.ewarn.model;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code risk_lower} / {@code risk_upper} rows of {@code risk_forecasts} (model, horizon,
 * ccode, …), the method in words for the manifest and Appendix A, and the replicates used.
 */
record PrimaryIntervals(Dataset<Row> rows, String method, int replicates) {

  /**
   * The primary model's two-year interval per country ({@link RiskIntervals}): for the elastic
   * net a country bootstrap; for any other model no interval (the method says why).
   */
  static PrimaryIntervals compute(SparkSession spark, FittedRiskModel primary, Dataset<Row> train, Dataset<Row> edition,
      ForecastConfig cfg) {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("model", "string").add("horizon", "int").add("ccode", "int")
        .add("risk_lower", "double").add("risk_upper", "double");
    if (!(primary instanceof ElasticNetModel net) || cfg.intervalReplicates() == 0) {
      String why = cfg.intervalReplicates() == 0 ? "none: forecast.interval.replicates = 0"
          : "none: the country bootstrap is implemented for the elastic net (in-memory refits); the primary model "
              + (primary == null ? "?" : primary.modelId()) + " would need " + cfg.intervalReplicates()
              + " MLlib refits";
      return new PrimaryIntervals(spark.createDataFrame(List.of(), schema), why, 0);
    }
    List<String> features = net.features();
    String[] needed = java.util.stream.Stream.concat(features.stream(), java.util.stream.Stream.of(cfg.twoYearOutcome()))
        .toArray(String[]::new);
    List<Row> trainRows = train.na().drop(needed).orderBy("year", "ccode")
        .select(java.util.stream.Stream.concat(java.util.stream.Stream.of("ccode", cfg.twoYearOutcome()), features.stream())
            .map(c -> col(c).cast("double")).toArray(Column[]::new)).collectAsList();
    List<Row> scoreRows = edition.na().drop(features.toArray(String[]::new)).orderBy("ccode")
        .select(java.util.stream.Stream.concat(java.util.stream.Stream.of("ccode"), features.stream())
            .map(c -> col(c).cast("double")).toArray(Column[]::new)).collectAsList();
    int p = features.size();
    double[][] x = new double[trainRows.size()][p];
    double[] y = new double[trainRows.size()];
    int[] country = new int[trainRows.size()];
    for (int i = 0; i < x.length; i++) {
      Row r = trainRows.get(i);
      country[i] = (int) r.getDouble(0);
      y[i] = r.getDouble(1);
      for (int j = 0; j < p; j++) {
        x[i][j] = r.getDouble(2 + j);
      }
    }
    double[][] score = new double[scoreRows.size()][p];
    for (int k = 0; k < score.length; k++) {
      for (int j = 0; j < p; j++) {
        score[k][j] = scoreRows.get(k).getDouble(1 + j);
      }
    }
    long t0 = System.nanoTime();
    RiskIntervals.Result r = RiskIntervals.countryBootstrap(x, y, country, score, net.fit(),
        net.settings(), cfg.intervalReplicates(), cfg.intervalLevel(), cfg.seed());
    System.err.printf("ewarn forecast: %d %% intervals of %s from %d country-bootstrap replicates in %.1f s%n",
        Math.round(cfg.intervalLevel() * 100), net.modelId(), r.replicatesUsed(), (System.nanoTime() - t0) / 1e9);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < score.length; k++) {
      rows.add(org.apache.spark.sql.RowFactory.create(net.modelId(), cfg.twoYearGap(), (int) scoreRows.get(k).getDouble(0),
          Double.isNaN(r.lower()[k]) ? null : r.lower()[k], Double.isNaN(r.upper()[k]) ? null : r.upper()[k]));
    }
    // Appendix A says this in each language: reports' IntervalMethod parses this sentence, change both together.
    String method = "percentile bootstrap over training countries: " + r.replicatesUsed() + " replicates, each drawing "
        + "countries with replacement with all their country-years and refitting the elastic net at its cross-validated"
        + " lambda " + MethodProperties.shortNumber(Double.toString(net.fit().lambda())) + "; " + net.modelId() + ", horizon "
        + cfg.twoYearGap() + " years only";
    return new PrimaryIntervals(spark.createDataFrame(rows, schema), method, r.replicatesUsed());
  }
}
