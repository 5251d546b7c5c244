package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Rolling-origin back-test on a country-month history (the way VIEWS evaluates): at each origin
 * month O, using only data dated before O, a model per horizon h = 1 … H is trained on pairs
 * (predictors at t, outcome at t + h) with t + h &lt; O and scores the predictors of month O − 1 to
 * forecast month O − 1 + h.
 *
 * <p>Input shape: one row per country and month index ({@code year·12 + month − 1}), predictors
 * (NaN = missing) and a 0/1 outcome (NaN = unknown).
 */
public final class MonthlyProtocol {
  private MonthlyProtocol() {}

  public record History(int[] unit, String[] name, int[] month, double[][] x, double[] outcome) {
    int size() {
      return unit.length;
    }
  }

  /** A forecast for {@code target} made with data through {@code target − horizon}. */
  public record MonthForecast(String model, int origin, int horizon, int target, int unit, String name,
      double risk, int rank) {}

  /**
   * Forecasts for origins {@code firstOrigin … lastOrigin} (month indices). The model of each
   * horizon is refitted every {@code refitEvery} origins (1 = every month), always on data before
   * the origin of that refit, so nothing after an origin is ever used.
   */
  public static List<MonthForecast> forecasts(String model, History h, int firstOrigin, int lastOrigin,
      int horizons, int refitEvery, AnnualProtocol.Trainer trainer) {
    return forecasts(model, h, firstOrigin, lastOrigin, horizons, refitEvery, 0, trainer);
  }

  /**
   * As above; {@code trainingMonths} > 0 trains each refit only on predictor months
   * t ≥ origin − trainingMonths (a rolling window: faster, and closer to recent dynamics).
   */
  public static List<MonthForecast> forecasts(String model, History h, int firstOrigin, int lastOrigin,
      int horizons, int refitEvery, int trainingMonths, AnnualProtocol.Trainer trainer) {
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < h.size(); i++) {
      index.put(key(h.month()[i], h.unit()[i]), i);
    }
    List<int[]> tasks = new ArrayList<>();
    for (int o = firstOrigin; o <= lastOrigin; o += refitEvery) {
      for (int k = 1; k <= horizons; k++) {
        tasks.add(new int[] {o, k});
      }
    }
    return tasks.parallelStream().map(task -> {
      int refitOrigin = task[0];
      int horizon = task[1];
      List<double[]> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        int t = h.month()[i];
        if (t + horizon >= refitOrigin || (trainingMonths > 0 && t < refitOrigin - trainingMonths)
            || !complete(h.x()[i])) {
          continue;
        }
        Integer j = index.get(key(t + horizon, h.unit()[i]));
        if (j != null && !Double.isNaN(h.outcome()[j])) {
          xs.add(h.x()[i]);
          ys.add(h.outcome()[j]);
        }
      }
      List<MonthForecast> out = new ArrayList<>();
      if (xs.isEmpty() || ys.stream().distinct().count() < 2) {
        return out;
      }
      AnnualProtocol.Scorer scorer =
          trainer.train(xs.toArray(double[][]::new), ys.stream().mapToDouble(Double::doubleValue).toArray());
      for (int o = refitOrigin; o < refitOrigin + refitEvery && o <= lastOrigin; o++) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
          if (h.month()[i] == o - 1 && complete(h.x()[i])) {
            rows.add(i);
          }
        }
        double[] risks = rows.stream().mapToDouble(i -> scorer.risk(h.x()[i])).toArray();
        int[] ranks = AnnualProtocol.minRanks(risks);
        for (int r = 0; r < rows.size(); r++) {
          int i = rows.get(r);
          out.add(new MonthForecast(model, o, horizon, o - 1 + horizon, h.unit()[i], h.name()[i], risks[r], ranks[r]));
        }
      }
      return out;
    }).flatMap(List::stream).toList();
  }

  /** Scored rows for the metrics table: one per forecast with a known outcome; group = "lead_h". */
  public static List<MetricsTable.Scored> scored(List<MonthForecast> forecasts, History h, boolean byLead) {
    Map<Long, Double> outcome = new HashMap<>();
    for (int i = 0; i < h.size(); i++) {
      outcome.put(key(h.month()[i], h.unit()[i]), h.outcome()[i]);
    }
    List<MetricsTable.Scored> out = new ArrayList<>();
    for (MonthForecast f : forecasts) {
      Double y = outcome.get(key(f.target(), f.unit()));
      if (y != null && !Double.isNaN(y)) {
        out.add(new MetricsTable.Scored(f.unit(), f.target(), byLead ? "lead_" + f.horizon() : monthLabel(f.target()),
            f.risk(), f.rank(), (int) (double) y));
      }
    }
    return out;
  }

  public static String monthLabel(int monthIndex) {
    return String.format("%04d-%02d", Math.floorDiv(monthIndex, 12), Math.floorMod(monthIndex, 12) + 1);
  }

  public static int monthIndex(String yyyyMm) {
    return Integer.parseInt(yyyyMm.substring(0, 4)) * 12 + Integer.parseInt(yyyyMm.substring(5, 7)) - 1;
  }

  static boolean complete(double[] row) {
    return IntStream.range(0, row.length).noneMatch(j -> Double.isNaN(row[j]));
  }

  static long key(int month, int unit) {
    return (long) month * 100_000L + unit;
  }
}
