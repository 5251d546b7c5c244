package org.ewarn.model;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Why a country's risk is what it is: for each predictor, the change in the country's risk when
 * that predictor alone is set to a reference value (the sample mean for a numeric predictor, the
 * mode for a 0/1 one). {@code risk_delta} = risk − risk with the reference, so a positive delta
 * means the country's actual value raises its risk. Rank 1 is the largest absolute change.
 */
public final class Drivers {
  private Drivers() {}

  /** Reference value per predictor from the sample: mode if every value is 0 or 1, else mean. */
  public static Map<String, Double> references(Dataset<Row> sample, List<String> predictors) {
    List<Column> aggs = new ArrayList<>();
    for (String p : predictors) {
      aggs.add(avg(col(p)).as(p + "__mean"));
      aggs.add(sum(when(col(p).isNotNull().and(col(p).notEqual(0)).and(col(p).notEqual(1)), 1).otherwise(0))
          .as(p + "__nonbinary"));
    }
    Row r = sample.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    Map<String, Double> refs = new LinkedHashMap<>();
    for (int i = 0; i < predictors.size(); i++) {
      double mean = r.isNullAt(2 * i) ? 0.0 : r.getDouble(2 * i);
      boolean binary = r.getLong(2 * i + 1) == 0;
      // the mode of a 0/1 predictor is 1 exactly when more than half the values are 1
      refs.put(predictors.get(i), binary ? (mean > 0.5 ? 1.0 : 0.0) : mean);
    }
    return refs;
  }

  /**
   * One row per scored row and predictor: keys, predictor, value, reference, risk,
   * risk_with_reference, risk_delta, driver_rank.
   */
  public static Dataset<Row> compute(FittedRiskModel model, Dataset<Row> rows, Map<String, Double> references,
      List<String> keys) {
    Column[] keyCols = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> base = model.score(rows).select(withRisk(keyCols, col("risk")));
    Dataset<Row> perturbed = null;
    for (Map.Entry<String, Double> ref : references.entrySet()) {
      Dataset<Row> one = rows
          .withColumn("_value", col(ref.getKey()).cast("double"))
          .withColumn(ref.getKey(), lit(ref.getValue()).cast(rows.schema().apply(ref.getKey()).dataType()))
          .withColumn("_predictor", lit(ref.getKey()))
          .withColumn("_reference", lit(ref.getValue()));
      perturbed = perturbed == null ? one : perturbed.unionByName(one);
    }
    List<Column> out = new ArrayList<>(List.of(keyCols));
    out.add(col("_predictor").as("predictor"));
    out.add(col("_value").as("value"));
    out.add(col("_reference").as("reference"));
    out.add(col("risk").as("risk_with_reference"));
    Dataset<Row> withReference = model.score(perturbed).select(out.toArray(Column[]::new));
    return withReference.join(base, keys.toArray(String[]::new))
        .withColumn("risk_delta", col("risk").minus(col("risk_with_reference")))
        .withColumn("driver_rank", row_number().over(Window.partitionBy(keyCols)
            .orderBy(abs(col("risk_delta")).desc(), col("predictor"))));
  }

  private static Column[] withRisk(Column[] keys, Column risk) {
    Column[] all = java.util.Arrays.copyOf(keys, keys.length + 1);
    all[keys.length] = risk;
    return all;
  }
}
