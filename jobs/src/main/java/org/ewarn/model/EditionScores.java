package org.ewarn.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The forecast's risks and drivers of one edition's rows, computed on the driver with each
 * model's {@link RowScorer}: the same rows and values as {@link ForecastAction#scoreAll} and
 * {@link Drivers#compute} give through Spark, without a Spark job per model, edition and
 * perturbed predictor (about 70 s of one-task jobs on 2 cores, BENCHMARKS.md).
 */
final class EditionScores {
  /**
   * The columns of {@link ForecastAction#scoreAll}, with its types and nullability (the marts'
   * Parquet schemas must not change: literals are non-null columns in Spark).
   */
  static final StructType RISKS = new StructType()
      .add("model", DataTypes.StringType, false).add("edition", DataTypes.StringType, false)
      .add("country", DataTypes.StringType).add("ccode", DataTypes.IntegerType)
      .add("gw_code", DataTypes.IntegerType).add("iso3", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("horizon", DataTypes.IntegerType, false)
      .add("risk", DataTypes.DoubleType);

  /** The columns of risk_drivers, with the types and nullability {@link ForecastAction#drivers} gives them. */
  static final StructType DRIVERS = new StructType()
      .add("model", DataTypes.StringType, false).add("edition", DataTypes.StringType, false)
      .add("ccode", DataTypes.IntegerType).add("country", DataTypes.StringType)
      .add("predictor", DataTypes.StringType, false).add("value", DataTypes.DoubleType)
      .add("reference", DataTypes.DoubleType, false).add("risk", DataTypes.DoubleType)
      .add("risk_with_reference", DataTypes.DoubleType).add("risk_delta", DataTypes.DoubleType)
      .add("driver_rank", DataTypes.IntegerType, false);

  private EditionScores() {}

  /**
   * Whether these models and rows can be scored here: every model has a row scorer and no
   * country appears twice (the Spark path joins on ccode, which would pair such rows up).
   */
  static boolean applies(Map<String, FittedRiskModel> fitted, List<Row> rows) {
    Set<Object> seen = new HashSet<>();
    for (Row r : rows) {
      if (!seen.add(r.get(r.fieldIndex("ccode")))) {
        return false;
      }
    }
    return fitted.values().stream().allMatch(f -> RowScorer.of(f).isPresent());
  }

  /** One row per model and scored row ({@link #RISKS}), rows without a risk left out. */
  static List<Row> risks(Map<String, FittedRiskModel> fitted, List<Row> rows, String edition, int horizon) {
    List<Row> out = new ArrayList<>();
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      List<Double> risks = scorer(e.getValue()).risks(rows);
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Double risk = risks.get(i);
        if (risk != null) {
          out.add(RowFactory.create(e.getKey(), edition, r.get(r.fieldIndex("country")), r.get(r.fieldIndex("ccode")),
              asInt(r.get(r.fieldIndex("gw_code"))), r.get(r.fieldIndex("iso3")), r.get(r.fieldIndex("year")), horizon,
              risk));
        }
      }
    }
    return out;
  }

  /**
   * The drivers ({@link #DRIVERS}) of each model: per scored row and predictor of the model's own
   * features, the risk with that predictor at its reference value (cast to the column's type, as
   * Spark's {@code lit(reference).cast(type)} does), the change, and the rank of its size.
   */
  static List<Row> drivers(Map<String, FittedRiskModel> fitted, List<Row> rows, Map<String, Map<String, Double>> references,
      String edition) {
    List<Row> out = new ArrayList<>();
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      RowScorer scorer = scorer(e.getValue());
      Map<String, Double> refs = references.get(e.getKey());
      List<Double> risks = scorer.risks(rows);
      // every row with each predictor at its reference, scored as one batch
      List<Row> perturbed = new ArrayList<>();
      for (Row r : rows) {
        for (Map.Entry<String, Double> ref : refs.entrySet()) {
          perturbed.add(with(r, ref.getKey(), ref.getValue()));
        }
      }
      List<Double> perturbedRisks = scorer.risks(perturbed);
      int next = 0;
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Double risk = risks.get(i);
        int first = next;
        next += refs.size();
        if (risk == null) {
          continue;
        }
        List<Object[]> one = new ArrayList<>();
        int k = first;
        for (Map.Entry<String, Double> ref : refs.entrySet()) {
          Double withReference = perturbedRisks.get(k++);
          if (withReference == null) {
            continue;
          }
          one.add(new Object[] {e.getKey(), edition, r.get(r.fieldIndex("ccode")), r.get(r.fieldIndex("country")),
              ref.getKey(), RowScorer.number(r, ref.getKey()), ref.getValue(), risk, withReference,
              risk - withReference, null});
        }
        // Spark's order: |risk_delta| descending (NaN first, as Spark sorts it largest), then predictor
        one.sort(Comparator.<Object[]>comparingDouble(v -> Math.abs((Double) v[9])).reversed()
            .thenComparing(v -> (String) v[4]));
        for (int rank = 1; rank <= one.size(); rank++) {
          Object[] v = one.get(rank - 1);
          v[10] = rank;
          out.add(RowFactory.create(v));
        }
      }
    }
    return out;
  }

  private static RowScorer scorer(FittedRiskModel f) {
    return RowScorer.of(f).orElseThrow(() -> new IllegalStateException(f.modelId() + " scores only in Spark"));
  }

  /** {@code row} with {@code column} set to {@code value} cast to the column's type. */
  static Row with(Row row, String column, double value) {
    int i = row.fieldIndex(column);
    Object[] values = new Object[row.size()];
    for (int j = 0; j < values.length; j++) {
      values[j] = row.get(j);
    }
    values[i] = castTo(value, row.schema().apply(i).dataType());
    return new GenericRowWithSchema(values, row.schema());
  }

  /** Spark's non-ANSI cast of a double to a numeric or boolean type (integers truncate towards zero). */
  static Object castTo(double v, DataType type) {
    if (type.equals(DataTypes.DoubleType)) {
      return v;
    }
    if (type.equals(DataTypes.IntegerType)) {
      return (int) v;
    }
    if (type.equals(DataTypes.LongType)) {
      return (long) v;
    }
    if (type.equals(DataTypes.FloatType)) {
      return (float) v;
    }
    if (type.equals(DataTypes.ShortType)) {
      return (short) v;
    }
    if (type.equals(DataTypes.ByteType)) {
      return (byte) v;
    }
    if (type.equals(DataTypes.BooleanType)) {
      return v != 0;
    }
    throw new IllegalArgumentException("a predictor of type " + type.simpleString() + " has no reference value cast");
  }

  private static Integer asInt(Object v) {
    return v == null ? null : v instanceof Number n ? n.intValue() : Integer.valueOf(v.toString().trim());
  }
}
