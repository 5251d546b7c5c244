package org.ewarn.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Uncertainty of each country's risk: a percentile bootstrap over training countries. Each
 * replicate draws as many countries as the training rows have, with replacement, takes all their
 * country-years (a country's years are not independent), refits the elastic net at the λ its
 * cross-validation chose, and scores the edition's rows; the interval is the replicates' (1 −
 * level)/2 and (1 + level)/2 quantiles (R type 7). λ is held at its cross-validated value, so the
 * interval reflects how much the coefficients depend on which countries happened to be observed,
 * not the choice of λ. Replicates whose sample has a single outcome class are left out (counted).
 */
public final class RiskIntervals {
  private RiskIntervals() {}

  /** lower[i], upper[i] per scored row, and how many replicates were used. */
  public record Result(double[] lower, double[] upper, int replicatesUsed) {}

  /**
   * @param x complete training rows, {@code y} their 0/1 outcome, {@code country} their cluster
   * @param score rows to score (complete), in the order of the result
   */
  public static Result countryBootstrap(double[][] x, double[] y, int[] country, double[][] score, ElasticNetFit fit,
      ElasticNetSettings settings, int replicates, double level, long seed) {
    Map<Integer, List<Integer>> rowsOf = new TreeMap<>();
    for (int i = 0; i < x.length; i++) {
      rowsOf.computeIfAbsent(country[i], c -> new ArrayList<>()).add(i);
    }
    List<int[]> clusters = rowsOf.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    // the path from λ_max down to the chosen λ (glmnet's warm starts), nothing below it
    double[] path = Arrays.stream(fit.lambdas()).filter(l -> l >= fit.lambda()).toArray();
    double[][] risks = new double[replicates][];
    IntStream.range(0, replicates).parallel().forEach(b -> {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
      List<double[]> xb = new ArrayList<>();
      List<Double> yb = new ArrayList<>();
      double positives = 0;
      for (int draw = 0; draw < clusters.size(); draw++) {
        for (int i : clusters.get(random.nextInt(clusters.size()))) {
          xb.add(x[i]);
          yb.add(y[i]);
          positives += y[i];
        }
      }
      if (positives == 0 || positives == yb.size()) {
        return; // one outcome class: no logistic fit
      }
      ElasticNetFit refit = ElasticNetCv.fitAt(xb.toArray(double[][]::new),
          yb.stream().mapToDouble(Double::doubleValue).toArray(), path, settings);
      double[] r = new double[score.length];
      for (int k = 0; k < score.length; k++) {
        r[k] = refit.risk(score[k]);
      }
      risks[b] = r;
    });
    double[][] used = Arrays.stream(risks).filter(r -> r != null).toArray(double[][]::new);
    double[] lower = new double[score.length];
    double[] upper = new double[score.length];
    Percentile q = new Percentile().withEstimationType(EstimationType.R_7);
    double tail = (1 - level) / 2 * 100;
    for (int k = 0; k < score.length; k++) {
      if (used.length == 0) {
        lower[k] = Double.NaN;
        upper[k] = Double.NaN;
        continue;
      }
      int kk = k;
      double[] column = Arrays.stream(used).mapToDouble(r -> r[kk]).toArray();
      lower[k] = q.evaluate(column, tail);
      upper[k] = q.evaluate(column, 100 - tail);
    }
    return new Result(lower, upper, used.length);
  }
}
