package org.ewarn.model;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * A fitted model that also scores single rows held on the driver. The forecast scores a few
 * hundred edition rows (and, for the drivers, 38 perturbed copies of each) per model: as Spark
 * plans that was hundreds of one-task jobs over unions, as plain calls it is milliseconds. Every
 * implementation computes the same bits as the model's {@link FittedRiskModel#score}: same
 * arithmetic in the same order, same rule for which rows get no risk.
 */
interface RowScorer {
  /**
   * The risk of one row (columns looked up by name), or null where {@code score} gives the row no
   * risk (leaves it out, or gives it a null risk: the forecast drops both).
   */
  Double risk(Row row);

  /**
   * {@link #risk} of each row, in order. Models whose single-row call is costly (a native call per
   * row for XGBoost, ~10 ms each on busy cores) score the rows in one batch of the same bits.
   */
  default List<Double> risks(List<Row> rows) {
    List<Double> out = new java.util.ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(risk(r));
    }
    return out;
  }

  /** The in-memory scorer of {@code model}, if it has one. */
  static Optional<RowScorer> of(FittedRiskModel model) {
    if (model instanceof EnsembleRiskModel.Fitted e && !e.scoresInMemory()) {
      return Optional.empty();
    }
    return model instanceof RowScorer s ? Optional.of(s) : Optional.empty();
  }

  /** The column as Spark's {@code cast("double")} of a numeric or boolean column gives it; null stays null. */
  static Double number(Row row, String column) {
    Object v = row.get(row.fieldIndex(column));
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    throw new IllegalArgumentException("column " + column + " is not numeric: " + v.getClass().getSimpleName());
  }

  /**
   * The features as doubles for a model whose {@code score} keeps only complete cases
   * ({@code na().drop}, which drops null and NaN), or null when the row is not complete.
   */
  static double[] completeCase(Row row, List<String> features) {
    double[] x = new double[features.size()];
    for (int j = 0; j < x.length; j++) {
      Double v = number(row, features.get(j));
      if (v == null || v.isNaN()) {
        return null;
      }
      x[j] = v;
    }
    return x;
  }
}
