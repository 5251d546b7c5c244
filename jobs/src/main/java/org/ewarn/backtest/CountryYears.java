package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

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
   * The panel from {@code year, ccode, country name, features, outcome, onset} of {@code rows}
   * (a collected mart), in a fixed order (year, ccode), so the fits and therefore the results are
   * identical run to run. Values are read as Spark's casts would: numbers as doubles (whole numbers
   * truncated for year and ccode), numeric text parsed, anything else missing.
   */
  public static CountryYears of(
      List<Row> rows, String countryColumn, List<String> features, String outcome, String onset) {
    List<Row> list = new ArrayList<>();
    for (Row r : rows) {
      if (!Double.isNaN(number(r, "year")) && !Double.isNaN(number(r, "ccode"))) {
        list.add(r);
      }
    }
    list.sort(java.util.Comparator.comparingInt((Row r) -> (int) number(r, "year"))
        .thenComparingInt(r -> (int) number(r, "ccode")));
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
      year[i] = (int) number(r, "year");
      ccode[i] = (int) number(r, "ccode");
      Object name = r.get(r.fieldIndex(countryColumn));
      country[i] = name == null ? null : name.toString();
      for (int j = 0; j < p; j++) {
        x[i][j] = number(r, features.get(j));
      }
      y[i] = number(r, outcome);
      on[i] = number(r, onset);
    }
    return new CountryYears(year, ccode, country, x, y, on, List.copyOf(features));
  }

  private static double number(Row r, String column) {
    Object v = r.get(r.fieldIndex(column));
    if (v instanceof Number num) {
      return num.doubleValue();
    }
    if (v instanceof String text) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
