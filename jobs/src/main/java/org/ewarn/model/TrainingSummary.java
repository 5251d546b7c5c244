package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What every fitted model records about its training data: rows, positives and years. */
final class TrainingSummary {
  private TrainingSummary() {}

  static Dataset<Row> completeCases(Dataset<Row> rows, ModelInputs inputs, boolean withOutcome) {
    java.util.List<String> needed = new java.util.ArrayList<>(inputs.features());
    if (withOutcome) {
      needed.add(inputs.outcome());
    }
    return rows.na().drop(needed.toArray(String[]::new));
  }

  static Map<String, String> describe(Dataset<Row> train, ModelInputs inputs) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("features", String.join(",", inputs.features()));
    m.put("outcome", inputs.outcome());
    m.put("seed", Long.toString(inputs.seed()));
    boolean hasYear = Arrays.asList(train.columns()).contains("year");
    Row r = hasYear
        ? train.agg(count(col(inputs.outcome())), sum(col(inputs.outcome()).cast("double")),
            min(col("year")), max(col("year"))).first()
        : train.agg(count(col(inputs.outcome())), sum(col(inputs.outcome()).cast("double"))).first();
    m.put("training_rows", String.valueOf(r.get(0)));
    m.put("training_positives", String.valueOf(r.isNullAt(1) ? 0 : (long) r.getDouble(1)));
    if (hasYear) {
      m.put("training_years", r.get(2) + "-" + r.get(3));
    }
    return m;
  }
}
