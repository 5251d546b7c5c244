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
 * value of the event table's row for the same country and the same year t, as log2(1 + x), so a
 * forecast made with the predictors of year t sees events up to t and never after. Country-years
 * the event table does not cover (before UCDP's 1989, or a country it does not list) get null and
 * drop out of the complete cases, as a missing EWP predictor does.
 */
public final class EventFeatures {
  private EventFeatures() {}

  /** {@code names.get(i)} = log2(1 + {@code columns.get(i)}) of the event row of the same (ccode, year). */
  public static List<Row> join(List<Row> panel, List<Row> events, String codeColumn, List<String> columns,
      List<String> names) {
    Map<Long, double[]> byKey = new HashMap<>();
    for (Row e : events) {
      Object code = e.get(e.fieldIndex(codeColumn));
      Object year = e.get(e.fieldIndex("year"));
      if (!(code instanceof Number c) || !(year instanceof Number y)) {
        continue;
      }
      double[] v = new double[columns.size()];
      for (int i = 0; i < v.length; i++) {
        Object x = e.get(e.fieldIndex(columns.get(i)));
        v[i] = x instanceof Number n ? n.doubleValue() : Double.NaN;
      }
      byKey.put(AnnualProtocol.key(y.intValue(), c.intValue()), v);
    }
    if (panel.isEmpty()) {
      return panel;
    }
    StructType schema = panel.get(0).schema();
    for (String n : names) {
      schema = schema.add(n, DataTypes.DoubleType);
    }
    List<Row> out = new ArrayList<>(panel.size());
    for (Row r : panel) {
      Object[] values = new Object[r.length() + names.size()];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      Object code = r.get(r.fieldIndex("ccode"));
      Object year = r.get(r.fieldIndex("year"));
      double[] v = code instanceof Number c && year instanceof Number y
          ? byKey.get(AnnualProtocol.key(y.intValue(), c.intValue())) : null;
      for (int i = 0; i < names.size(); i++) {
        values[r.length() + i] = v == null || Double.isNaN(v[i]) || v[i] < 0 ? null : Math.log1p(v[i]) / Math.log(2);
      }
      out.add(new GenericRowWithSchema(values, schema));
    }
    return out;
  }
}
