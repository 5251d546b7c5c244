package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Event features for the event-informed models, joined to the EWP panel by (COW code, year): the
 * value of the event table's row for the same country and the same year t, transformed (log2(1 + x)
 * or an indicator), so a forecast made with the predictors of year t sees events up to t and never
 * after. Country-years the event table does not cover (before UCDP's 1989, or a country it does
 * not list) get null and drop out of the complete cases, as a missing EWP predictor does; a column
 * with a coverage flag reads those as 0 instead and its flag says which were covered, so a source
 * that ends early (Mass Mobilization, 1990-2020) does not take later years' forecasts with it.
 */
public final class EventFeatures {
  private EventFeatures() {}

  /** How an event count becomes a feature. */
  public enum Transform {
    /** log2(1 + x): death and event counts from 0 to 10^5 on one scale. */
    LOG2,
    /** 1 when x > 0, else 0. */
    INDICATOR;

    double apply(double x) {
      return this == LOG2 ? Math.log1p(x) / Math.log(2) : x > 0 ? 1 : 0;
    }
  }

  /**
   * One event feature: {@code name} = {@code transform}({@code column}) of the event row; with a
   * {@code coverageFlag}, a missing value reads as 0 and the flag feature is 1 where it was present.
   */
  public record Feature(String column, String name, Transform transform, String coverageFlag) {}

  /** {@code names.get(i)} = log2(1 + {@code columns.get(i)}) of the event row of the same (ccode, year). */
  public static List<Row> join(List<Row> panel, List<Row> events, String codeColumn, List<String> columns,
      List<String> names) {
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      features.add(new Feature(columns.get(i), names.get(i), Transform.LOG2, null));
    }
    return join(panel, events, codeColumn, features);
  }

  /** Each feature of the event row of the same (ccode, year), then the coverage flags in feature order. */
  public static List<Row> join(List<Row> panel, List<Row> events, String codeColumn, List<Feature> features) {
    Map<Long, double[]> byKey = new HashMap<>();
    for (Row e : events) {
      Object code = e.get(e.fieldIndex(codeColumn));
      Object year = e.get(e.fieldIndex("year"));
      if (!(code instanceof Number c) || !(year instanceof Number y)) {
        continue;
      }
      double[] v = new double[features.size()];
      for (int i = 0; i < v.length; i++) {
        Object x = e.get(e.fieldIndex(features.get(i).column()));
        v[i] = x instanceof Number n ? n.doubleValue() : Double.NaN;
      }
      byKey.put(AnnualProtocol.key(y.intValue(), c.intValue()), v);
    }
    if (panel.isEmpty()) {
      return panel;
    }
    // one flag column per flag name: columns of one source (coups in 1 and 5 years) may share it,
    // the first of them then says whether the source covered the year
    List<Integer> flagged = new ArrayList<>();
    java.util.Set<String> flags = new java.util.HashSet<>();
    StructType schema = panel.get(0).schema();
    for (int i = 0; i < features.size(); i++) {
      schema = schema.add(features.get(i).name(), DataTypes.DoubleType);
      if (features.get(i).coverageFlag() != null && flags.add(features.get(i).coverageFlag())) {
        flagged.add(i);
      }
    }
    for (int i : flagged) {
      schema = schema.add(features.get(i).coverageFlag(), DataTypes.DoubleType);
    }
    List<Row> out = new ArrayList<>(panel.size());
    for (Row r : panel) {
      Object[] values = new Object[r.length() + features.size() + flagged.size()];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      Object code = r.get(r.fieldIndex("ccode"));
      Object year = r.get(r.fieldIndex("year"));
      double[] v = code instanceof Number c && year instanceof Number y
          ? byKey.get(AnnualProtocol.key(y.intValue(), c.intValue())) : null;
      for (int i = 0; i < features.size(); i++) {
        Feature f = features.get(i);
        boolean present = v != null && !Double.isNaN(v[i]) && v[i] >= 0;
        Double value = present ? Double.valueOf(f.transform().apply(v[i])) : f.coverageFlag() != null ? Double.valueOf(0) : null;
        values[r.length() + i] = value;
      }
      for (int j = 0; j < flagged.size(); j++) {
        int i = flagged.get(j);
        values[r.length() + features.size() + j] = v != null && !Double.isNaN(v[i]) && v[i] >= 0 ? 1.0 : 0.0;
      }
      out.add(new GenericRowWithSchema(values, schema));
    }
    return out;
  }
}
