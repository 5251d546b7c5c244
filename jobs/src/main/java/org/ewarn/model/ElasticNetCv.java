package org.ewarn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * cv.glmnet for the binomial family, in memory: the λ path of the full data, K-fold
 * cross-validation on held-out binomial deviance over that path, and the full-data solution at
 * lambda.min (the largest λ with the lowest mean deviance).
 */
public final class ElasticNetCv {
  /** cv.glmnet bounds held-out probabilities before taking logs. */
  static final double CV_PMIN = 1.0e-5;

  private ElasticNetCv() {}

  /**
   * Fits on the complete rows of {@code x} (rows with a NaN predictor or outcome are left out).
   * Deterministic: the fold assignment comes from {@code settings.seed()}, and the folds, which
   * run in parallel, are combined in a fixed order.
   */
  public static ElasticNetFit fit(double[][] x, double[] y, ElasticNetSettings settings) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " predictor rows but " + y.length + " outcomes");
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int p = x[0].length;
    int[] complete = completeRows(x, y, p);
    int n = complete.length;
    double[] yc = new double[n];
    int positives = 0;
    for (int i = 0; i < n; i++) {
      yc[i] = y[complete[i]];
      if (yc[i] != 0 && yc[i] != 1) {
        throw new IllegalArgumentException("outcome must be 0 or 1, got " + yc[i]);
      }
      positives += (int) yc[i];
    }
    ElasticNetPath.Standardised all = ElasticNetPath.Standardised.of(x, complete, p);
    double ratio = Double.isNaN(settings.lambdaMinRatio())
        ? (n > p ? 1.0e-4 : 1.0e-2)
        : settings.lambdaMinRatio();
    double[] path = ElasticNetPath.lambdaPath(
        ElasticNetPath.lambdaMax(all, yc, settings.alpha()), settings.lambdaCount(), ratio);

    int k = settings.folds();
    int[] fold = foldIds(n, k, settings.seed());
    // glmnet order: the full-data path first (it may end early), then the folds on that path
    ElasticNetPath.Solutions full = ElasticNetPath.fit(all, yc, path, settings.alpha(),
        settings.threshold(), settings.maxIterations(), true);
    double[] cvPath = full.lambdas();
    List<Fitted> solutions = IntStream.rangeClosed(0, k).parallel()
        .mapToObj(t -> t == 0 ? null : foldFit(x, complete, yc, fold, t, cvPath, settings))
        .toList();
    int lambdas = full.size();
    double[] cvSum = new double[lambdas];
    int heldOut = 0;
    for (int f = 1; f <= k; f++) {
      Fitted fitted = solutions.get(f);
      if (fitted == null) {
        continue;
      }
      heldOut += addHeldOutDeviance(x, complete, yc, fold, f, fitted.solutions(), fitted.scale(), lambdas, cvSum);
    }
    if (heldOut == 0) {
      throw new IllegalArgumentException("cannot cross-validate: every fold's training rows have a single outcome"
          + " class (" + positives + " positive of " + n + " rows, " + k + " folds)");
    }
    double[] cvm = new double[lambdas];
    int best = 0;
    for (int l = 0; l < lambdas; l++) {
      cvm[l] = cvSum[l] / heldOut;
      if (cvm[l] < cvm[best]) {
        best = l; // strict: ties keep the larger λ, as cv.glmnet's max(lambda[cvm <= min(cvm)])
      }
    }
    double[] beta = new double[p];
    double intercept = unstandardise(full.intercepts()[best], full.betas()[best], all, beta);
    return new ElasticNetFit(intercept, beta, full.lambdas()[best], full.lambdas(), cvm, n, positives);
  }

  /** Fits the path on the whole data without cross-validation (for tests and diagnostics). */
  static ElasticNetPath.Solutions path(double[][] x, double[] y, double[] lambdas, ElasticNetSettings s) {
    int p = x[0].length;
    int[] complete = completeRows(x, y, p);
    double[] yc = new double[complete.length];
    for (int i = 0; i < complete.length; i++) {
      yc[i] = y[complete[i]];
    }
    return ElasticNetPath.fit(ElasticNetPath.Standardised.of(x, complete, p), yc, lambdas,
        s.alpha(), s.threshold(), s.maxIterations(), false);
  }

  /**
   * The fit at the last λ of {@code lambdas} without cross-validation, reached along that path
   * from λ_max as glmnet does (warm starts): a refit at an already chosen λ, e.g. on a bootstrap
   * sample. Every row must be complete.
   */
  static ElasticNetFit fitAt(double[][] x, double[] y, double[] lambdas, ElasticNetSettings s) {
    int p = x[0].length;
    int[] all = java.util.stream.IntStream.range(0, x.length).toArray();
    ElasticNetPath.Standardised std = ElasticNetPath.Standardised.of(x, all, p);
    ElasticNetPath.Solutions path = ElasticNetPath.fit(std, y, lambdas, s.alpha(), s.threshold(), s.maxIterations(),
        false);
    int last = path.size() - 1;
    double[] beta = new double[p];
    double intercept = unstandardise(path.intercepts()[last], path.betas()[last], std, beta);
    int positives = 0;
    for (double v : y) {
      positives += (int) v;
    }
    return new ElasticNetFit(intercept, beta, path.lambdas()[last], path.lambdas(), new double[0], x.length, positives);
  }

  /** Original-scale coefficients into {@code out}; returns the original-scale intercept. */
  static double unstandardise(double b0, double[] betaStd, ElasticNetPath.Standardised s, double[] out) {
    double intercept = b0;
    for (int j = 0; j < out.length; j++) {
      double scale = s.scales()[j];
      out[j] = scale > 0 ? betaStd[j] / scale : 0.0;
      intercept -= out[j] * s.means()[j];
    }
    return intercept;
  }

  /** cv.glmnet's foldid: rep(1..K, length = n) in a seeded random order. */
  static int[] foldIds(int n, int k, long seed) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i % k + 1;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    return ids;
  }

  private static int[] completeRows(double[][] x, double[] y, int p) {
    List<Integer> keep = new ArrayList<>(x.length);
    outer:
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != p) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " predictors, expected " + p);
      }
      if (Double.isNaN(y[i])) {
        continue;
      }
      for (double v : x[i]) {
        if (Double.isNaN(v)) {
          continue outer;
        }
      }
      keep.add(i);
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] trainingRows(int[] complete, int[] fold, int f) {
    return IntStream.range(0, complete.length).filter(i -> fold[i] != f).map(i -> complete[i]).toArray();
  }

  private record Fitted(ElasticNetPath.Solutions solutions, ElasticNetPath.Standardised scale) {}

  /**
   * The path on every fold but {@code f}; null when those rows have a single outcome class (rare
   * onsets: a fold may hold every positive). cv.glmnet stops there; this leaves the fold out of the
   * cross-validated deviance instead, so the monthly protocol can still choose a λ.
   */
  private static Fitted foldFit(
      double[][] x, int[] complete, double[] yc, int[] fold, int f, double[] path, ElasticNetSettings s) {
    int[] idx = IntStream.range(0, complete.length).filter(i -> fold[i] != f).toArray();
    double[] yf = new double[idx.length];
    double sum = 0;
    for (int i = 0; i < idx.length; i++) {
      yf[i] = yc[idx[i]];
      sum += yf[i];
    }
    if (sum == 0 || sum == idx.length) {
      return null;
    }
    ElasticNetPath.Standardised xs =
        ElasticNetPath.Standardised.of(x, trainingRows(complete, fold, f), x[complete[0]].length);
    return new Fitted(
        ElasticNetPath.fit(xs, yf, path, s.alpha(), s.threshold(), s.maxIterations(), false), xs);
  }

  /** Adds fold {@code f}'s held-out deviance per λ to {@code cvSum}; returns its number of rows. */
  private static int addHeldOutDeviance(
      double[][] x, int[] complete, double[] yc, int[] fold, int f,
      ElasticNetPath.Solutions sol, ElasticNetPath.Standardised scale, int lambdas, double[] cvSum) {
    int p = scale.features();
    double[] beta = new double[p];
    int rows = 0;
    for (int i = 0; i < complete.length; i++) {
      if (fold[i] == f) {
        rows++;
      }
    }
    for (int l = 0; l < lambdas; l++) {
      // a fold path never stops early, so every λ of the full path has a solution
      double b0 = unstandardise(sol.intercepts()[l], sol.betas()[l], scale, beta);
      double sum = 0;
      for (int i = 0; i < complete.length; i++) {
        if (fold[i] != f) {
          continue;
        }
        double[] row = x[complete[i]];
        double eta = b0;
        for (int j = 0; j < p; j++) {
          eta += beta[j] * row[j];
        }
        double pr = 1.0 / (1.0 + Math.exp(-eta));
        pr = Math.min(Math.max(pr, CV_PMIN), 1 - CV_PMIN);
        sum += yc[i] > 0.5 ? -2 * Math.log(pr) : -2 * Math.log(1 - pr);
      }
      cvSum[l] += sum;
    }
    return rows;
  }
}
