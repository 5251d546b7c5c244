package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reliability of probabilities: forecasts binned by predicted risk, each bin's mean risk beside the
 * share of its cases that were onsets. A well-calibrated model's points lie on the diagonal; with
 * onsets this rare the bins are fixed risk ranges (not quantiles), so models stay comparable.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * One bin [low, high) (the last one closed) of one model and scope: how many forecasts fell in
   * it, their mean risk (NaN when empty) and how many were followed by an onset.
   */
  public record Bin(String model, String protocol, String scope, String sample, int bin, double low, double high,
      long forecasts, double meanRisk, long onsets) {}

  /**
   * Bins for the pooled rows and, with {@code perGroup}, for each group (a lead); rows without a
   * risk are left out. Every bin is returned, empty ones with zero counts, so a reader sees where
   * a model never forecasts.
   */
  public static List<Bin> table(String model, String protocol, String sample, List<MetricsTable.Scored> rows,
      List<Double> edges, boolean perGroup) {
    List<Bin> out = new ArrayList<>(bins(model, protocol, "pooled", sample, rows, edges));
    if (perGroup) {
      Map<String, List<MetricsTable.Scored>> groups = new TreeMap<>(MetricsTable::compareGroups);
      rows.forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
      groups.forEach((g, list) -> out.addAll(bins(model, protocol, g, sample, list, edges)));
    }
    return out;
  }

  static List<Bin> bins(String model, String protocol, String scope, String sample, List<MetricsTable.Scored> rows,
      List<Double> edges) {
    int n = edges.size() - 1;
    long[] count = new long[n];
    long[] onsets = new long[n];
    double[] sum = new double[n];
    for (MetricsTable.Scored r : rows) {
      if (Double.isNaN(r.risk())) {
        continue;
      }
      int b = binOf(r.risk(), edges);
      count[b]++;
      onsets[b] += r.outcome();
      sum[b] += r.risk();
    }
    List<Bin> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      out.add(new Bin(model, protocol, scope, sample, b + 1, edges.get(b), edges.get(b + 1), count[b],
          count[b] == 0 ? Double.NaN : sum[b] / count[b], onsets[b]));
    }
    return out;
  }

  /** The bin of a risk: [e_i, e_i+1), the last bin closed; risks outside the edges go to the end bins. */
  static int binOf(double risk, List<Double> edges) {
    int n = edges.size() - 1;
    for (int b = 0; b < n - 1; b++) {
      if (risk < edges.get(b + 1)) {
        return b;
      }
    }
    return n - 1;
  }

  /** Edges must rise strictly from 0 to 1: every probability falls in exactly one bin. */
  static String invalid(List<Double> edges) {
    if (edges.size() < 2) {
      return "at least two edges, e.g. [0, 0.01, 0.05, 1]";
    }
    if (edges.get(0) != 0.0 || edges.get(edges.size() - 1) != 1.0) {
      return "edges from 0 to 1, got " + edges;
    }
    for (int i = 1; i < edges.size(); i++) {
      if (!(edges.get(i) > edges.get(i - 1))) {
        return "strictly rising edges, got " + edges;
      }
    }
    return null;
  }
}
