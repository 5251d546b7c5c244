package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Rolling-origin back-test on a country-month history (the way VIEWS evaluates). At each refit
 * origin O a model is trained on every pair (predictors at t, onset at t + h) with t + h &lt; O,
 * for every lead h = 1 … H: nothing dated O or later is read. That model then serves the origins
 * O … O + refitEvery − 1, each scoring the predictors of its month before (O' − 1) to forecast
 * month O' − 1 + h.
 *
 * <p>Input shape: one row per country and month index ({@code year·12 + month − 1}), sorted by
 * country then month, predictors (NaN = missing) and a 0/1 onset in that month (NaN = unknown,
 * outside the outcome's coverage). Two facts per row feed the baselines, both dated ≤ t: recent
 * one-sided violence (any deaths in the last few months) and an onset of the outcome at or before t.
 */
public final class MonthlyProtocol {
  private MonthlyProtocol() {}

  /**
   * {@code recentViolence}: violence in the last months up to t (the persistence baseline's fact);
   * {@code onsetBefore}: an onset in months ≤ t of the same country (the history baseline's fact).
   */
  public record History(int[] unit, String[] name, int[] month, double[][] x, double[] outcome,
      boolean[] recentViolence, boolean[] onsetBefore) {
    public int size() {
      return unit.length;
    }

    /** A history without baseline facts (both false): for models that read predictors only. */
    public static History of(int[] unit, String[] name, int[] month, double[][] x, double[] outcome) {
      return new History(unit, name, month, x, outcome, new boolean[unit.length], MonthlyProtocol.onsetBefore(unit, outcome));
    }

    /** Row index by (month, unit). */
    Map<Long, Integer> index() {
      Map<Long, Integer> index = new HashMap<>(size() * 2);
      for (int i = 0; i < size(); i++) {
        index.put(key(month[i], unit[i]), i);
      }
      return index;
    }
  }

  /**
   * For rows sorted by unit then month: true from a unit's first onset month on (an onset at t is
   * known at t: it is the month's own deaths against the months before).
   */
  public static boolean[] onsetBefore(int[] unit, double[] outcome) {
    boolean[] out = new boolean[unit.length];
    for (int i = 0; i < unit.length; i++) {
      boolean carried = i > 0 && unit[i - 1] == unit[i] && out[i - 1];
      out[i] = carried || outcome[i] == 1;
    }
    return out;
  }

  /**
   * For rows sorted by unit then month: true when {@code values} has a positive value in months
   * t − months + 1 … t of the same unit (missing months and NaN count as none).
   */
  public static boolean[] anyWithin(int[] unit, int[] month, double[] values, int months) {
    boolean[] out = new boolean[unit.length];
    for (int i = 0; i < unit.length; i++) {
      for (int j = i; j >= 0 && unit[j] == unit[i] && month[j] > month[i] - months; j--) {
        if (values[j] > 0) {
          out[i] = true;
          break;
        }
      }
    }
    return out;
  }

  /** A forecast for {@code target} made with data through {@code target − horizon}. */
  public record MonthForecast(String model, int origin, int horizon, int target, int unit, String name,
      double risk, int rank) {}

  /**
   * The training pairs of one refit: for lead h (index h − 1), the history rows t whose onset at
   * t + h is known and before the refit origin, and those onsets.
   */
  public record Training(int refitOrigin, int[][] rows, double[][] outcomes) {
    public int leads() {
      return rows.length;
    }

    public long pairs() {
      return Arrays.stream(rows).mapToLong(r -> r.length).sum();
    }
  }

  /** A model of the protocol: one fit per refit covering every lead. */
  @FunctionalInterface
  public interface Learner {
    Fitted fit(History history, Training training);
  }

  /** Risks of history rows at a lead (1 … H). */
  @FunctionalInterface
  public interface Fitted {
    double[] risks(History history, int[] rows, int lead);
  }

  /**
   * An in-memory trainer fitted once per lead (leads in parallel); a lead whose training onsets
   * are all one class forecasts nothing (NaN), as there is nothing to learn.
   */
  public static Learner perLead(AnnualProtocol.Trainer trainer) {
    return (h, training) -> {
      AnnualProtocol.Scorer[] scorers = IntStream.range(0, training.leads()).parallel().mapToObj(l -> {
        int[] rows = training.rows()[l];
        double[] y = training.outcomes()[l];
        if (rows.length == 0 || Arrays.stream(y).distinct().count() < 2) {
          return null;
        }
        double[][] x = new double[rows.length][];
        for (int k = 0; k < rows.length; k++) {
          x[k] = h.x()[rows[k]];
        }
        return trainer.train(x, y);
      }).toArray(AnnualProtocol.Scorer[]::new);
      return (hist, rows, lead) -> {
        AnnualProtocol.Scorer s = scorers[lead - 1];
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
          out[k] = s == null ? Double.NaN : s.risk(hist.x()[rows[k]]);
        }
        return out;
      };
    };
  }

  /** What a refit reports as it finishes: for the progress line (ETA). */
  public record Progress(int refit, int refits, int origin, long pairs, double seconds) {}

  /** The refit origins of a window: first, first + every, … ≤ last. */
  public static List<Integer> refitOrigins(int firstOrigin, int lastOrigin, int refitEvery) {
    List<Integer> out = new ArrayList<>();
    for (int o = firstOrigin; o <= lastOrigin; o += refitEvery) {
      out.add(o);
    }
    return out;
  }

  /**
   * The training pairs of a refit at {@code refitOrigin}: rows t with complete predictors, t ≥
   * refitOrigin − trainingMonths (0 = all months), whose onset at t + h is known and t + h &lt;
   * refitOrigin.
   */
  public static Training training(History h, Map<Long, Integer> index, int refitOrigin, int horizons,
      int trainingMonths) {
    int[][] rows = new int[horizons][];
    double[][] outcomes = new double[horizons][];
    for (int lead = 1; lead <= horizons; lead++) {
      List<Integer> r = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        int t = h.month()[i];
        if (t + lead >= refitOrigin || (trainingMonths > 0 && t < refitOrigin - trainingMonths)
            || !complete(h.x()[i])) {
          continue;
        }
        Integer j = index.get(key(t + lead, h.unit()[i]));
        if (j != null && !Double.isNaN(h.outcome()[j])) {
          r.add(i);
          y.add(h.outcome()[j]);
        }
      }
      rows[lead - 1] = r.stream().mapToInt(Integer::intValue).toArray();
      outcomes[lead - 1] = y.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new Training(refitOrigin, rows, outcomes);
  }

  public static List<MonthForecast> forecasts(String model, History h, int firstOrigin, int lastOrigin,
      int horizons, int refitEvery, AnnualProtocol.Trainer trainer) {
    return forecasts(model, h, firstOrigin, lastOrigin, horizons, refitEvery, 0, perLead(trainer), p -> {});
  }

  /**
   * Forecasts for origins {@code firstOrigin … lastOrigin} (month indices), refits one after the
   * other (a model parallelises inside its fit), {@code progress} told after each. Forecasts
   * without a risk (a lead with nothing to learn) are left out.
   */
  public static List<MonthForecast> forecasts(String model, History h, int firstOrigin, int lastOrigin,
      int horizons, int refitEvery, int trainingMonths, Learner learner, Consumer<Progress> progress) {
    Map<Long, Integer> index = h.index();
    List<Integer> refits = refitOrigins(firstOrigin, lastOrigin, refitEvery);
    List<MonthForecast> out = new ArrayList<>();
    for (int r = 0; r < refits.size(); r++) {
      long t0 = System.nanoTime();
      int refitOrigin = refits.get(r);
      Training training = training(h, index, refitOrigin, horizons, trainingMonths);
      Fitted fitted = learner.fit(h, training);
      for (int o = refitOrigin; o < refitOrigin + refitEvery && o <= lastOrigin; o++) {
        int made = o - 1;
        int[] rows = IntStream.range(0, h.size()).filter(i -> h.month()[i] == made && complete(h.x()[i])).toArray();
        for (int lead = 1; lead <= horizons; lead++) {
          double[] all = fitted.risks(h, rows, lead);
          int[] keep = IntStream.range(0, rows.length).filter(k -> !Double.isNaN(all[k])).toArray();
          double[] risks = Arrays.stream(keep).mapToDouble(k -> all[k]).toArray();
          int[] ranks = AnnualProtocol.minRanks(risks);
          for (int k = 0; k < keep.length; k++) {
            int i = rows[keep[k]];
            out.add(new MonthForecast(model, o, lead, made + lead, h.unit()[i], h.name()[i], risks[k], ranks[k]));
          }
        }
      }
      progress.accept(new Progress(r + 1, refits.size(), refitOrigin, training.pairs(), (System.nanoTime() - t0) / 1e9));
    }
    return out;
  }

  /** Scored rows for the metrics table: one per forecast with a known outcome; group = "lead_h". */
  public static List<MetricsTable.Scored> scored(List<MonthForecast> forecasts, History h, boolean byLead) {
    Map<Long, Integer> index = h.index();
    List<MetricsTable.Scored> out = new ArrayList<>();
    for (MonthForecast f : forecasts) {
      Integer i = index.get(key(f.target(), f.unit()));
      if (i != null && !Double.isNaN(h.outcome()[i])) {
        out.add(new MetricsTable.Scored(f.unit(), f.target(), byLead ? "lead_" + f.horizon() : monthLabel(f.target()),
            f.risk(), f.rank(), (int) h.outcome()[i]));
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
    for (double v : row) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  static long key(int month, int unit) {
    return (long) month * 100_000L + unit;
  }
}
