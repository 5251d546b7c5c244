package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The EWP country-year panel held in memory for the annual protocol: one entry per country-year,
 * predictors as doubles (NaN = missing), the training outcome and the onset indicator. A few
 * thousand rows × 39 predictors, so every origin's fits can share it without Spark.
 */
public record CountryYears(
    int[] year, int[] ccode, String[] country, double[][] x, double[] outcome, double[] onset,
    List<String> features) {

  public int size() {
    return year.length;
  }

  public boolean complete(int i) {
    if (Double.isNaN(outcome[i])) {
      return false;
    }
    for (double v : x[i]) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  public boolean completePredictors(int i) {
    for (double v : x[i]) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Collects {@code year, ccode, country name, features, outcome, onset} in a fixed order (year,
   * ccode), so the fits and therefore the results are identical run to run.
   */
  public static CountryYears collect(
      Dataset<Row> rows, String countryColumn, List<String> features, String outcome, String onset) {
    List<Column> cols = new ArrayList<>();
    cols.add(functions.col("year").cast("int"));
    cols.add(functions.col("ccode").cast("int"));
    cols.add(functions.col(countryColumn).cast("string"));
    for (String f : features) {
      cols.add(functions.col(f).cast("double"));
    }
    cols.add(functions.col(outcome).cast("double"));
    cols.add(functions.col(onset).cast("double"));
    // sorted here rather than with orderBy: a few thousand rows do not need a Spark shuffle
    List<Row> list = new java.util.ArrayList<>(rows.select(cols.toArray(Column[]::new))
        .filter(functions.col("year").isNotNull().and(functions.col("ccode").isNotNull()))
        .collectAsList());
    list.sort(java.util.Comparator.comparingInt((Row r) -> r.getInt(0)).thenComparingInt(r -> r.getInt(1)));
    int n = list.size();
    int p = features.size();
    int[] year = new int[n];
    int[] ccode = new int[n];
    String[] country = new String[n];
    double[][] x = new double[n][p];
    double[] y = new double[n];
    double[] on = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = list.get(i);
      year[i] = r.getInt(0);
      ccode[i] = r.getInt(1);
      country[i] = r.isNullAt(2) ? null : r.getString(2);
      for (int j = 0; j < p; j++) {
        x[i][j] = value(r, 3 + j);
      }
      y[i] = value(r, 3 + p);
      on[i] = value(r, 4 + p);
    }
    return new CountryYears(year, ccode, country, x, y, on, List.copyOf(features));
  }

  private static double value(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
