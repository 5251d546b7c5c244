package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The forecast's scoring of fitted models: risks and drivers of an edition's rows, computed on the
 * driver when every model scores in memory ({@link EditionScores}: a few hundred rows need no Spark
 * job) and by Spark otherwise.
 */
final class ForecastScoring {
  private ForecastScoring() {}

  /** The panel rows of the given years (and {@code alsoYear}), by year, collected once. */
  static Map<Integer, List<Row>> rowsByYear(Dataset<Row> panel, List<Integer> years, int alsoYear) {
    Set<Integer> wanted = new TreeSet<>(years);
    wanted.add(alsoYear);
    Map<Integer, List<Row>> out = new LinkedHashMap<>();
    wanted.forEach(y -> out.put(y, new ArrayList<>()));
    for (Row r : panel.where(col("year").isin(wanted.toArray())).orderBy("year", "ccode").collectAsList()) {
      out.get(r.<Integer>getAs("year")).add(r);
    }
    return out;
  }

  /**
   * {@link #scoreAll}'s rows: computed on the driver from {@code local} when every model scores in
   * memory ({@link EditionScores}), else by Spark on {@code rows}.
   */
  static Dataset<Row> scored(SparkSession spark, Map<String, FittedRiskModel> fitted, List<Row> local,
      Dataset<Row> rows, String edition, int horizon) {
    if (EditionScores.applies(fitted, local)) {
      return spark.createDataFrame(EditionScores.risks(fitted, local, edition, horizon), EditionScores.RISKS);
    }
    return scoreAll(fitted, rows, edition, horizon);
  }

  static Dataset<Row> scoreAll(Map<String, FittedRiskModel> fitted, Dataset<Row> rows, String edition, int horizon) {
    Dataset<Row> all = null;
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      Dataset<Row> scored = e.getValue().score(rows).where(col("risk").isNotNull())
          .select(lit(e.getKey()).as("model"), lit(edition).as("edition"), col("country"), col("ccode"),
              col("gw_code").cast("int").as("gw_code"), col("iso3"), col("year"), lit(horizon).as("horizon"),
              col("risk"));
      all = all == null ? scored : all.unionByName(scored);
    }
    return all;
  }

  /**
   * risk_drivers: on the driver from {@code local} (the rows of {@code rows}) when every model
   * scores in memory ({@link EditionScores#drivers}), else with {@link Drivers#compute} in Spark.
   */
  static Dataset<Row> drivers(SparkSession spark, Map<String, FittedRiskModel> fitted, Dataset<Row> train,
      Dataset<Row> rows, List<Row> local, ForecastConfig cfg, String edition) {
    Dataset<Row> sample = train.na().drop(cfg.features().toArray(String[]::new));
    Map<String, Double> refs = Drivers.references(sample, cfg.features());
    Map<String, Map<String, Double>> own = new LinkedHashMap<>();
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      String fs = e.getValue().metadata().get("features");
      Map<String, Double> mine = new LinkedHashMap<>();
      for (String f : fs == null ? cfg.features() : List.of(fs.split(","))) {
        if (refs.containsKey(f)) {
          mine.put(f, refs.get(f));
        }
      }
      own.put(e.getKey(), mine);
    }
    if (local != null && EditionScores.applies(fitted, local)) {
      return spark.createDataFrame(EditionScores.drivers(fitted, local, own, edition), EditionScores.DRIVERS);
    }
    Dataset<Row> names = rows.select("ccode", "country");
    Dataset<Row> all = null;
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      Dataset<Row> d = Drivers.compute(e.getValue(), rows, own.get(e.getKey()), List.of("ccode"))
          .where(col("risk").isNotNull())
          .withColumn("model", lit(e.getKey())).withColumn("edition", lit(edition))
          .join(names, "ccode")
          .select("model", "edition", "ccode", "country", "predictor", "value", "reference", "risk",
              "risk_with_reference", "risk_delta", "driver_rank");
      all = all == null ? d : all.unionByName(d);
    }
    return all;
  }

}
