package org.ewarn.backtest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One stderr line per fitted origin with an estimate of the time left. Fits of different models
 * cost very different times (a frequency baseline a millisecond, an elastic net seconds, an MLlib
 * fit a Spark job or three) and run concurrently, so the estimate scales the elapsed wall time by
 * the fit work left over the fit work done. A model's remaining origins are priced at the median
 * of its own fits (the first, cold fits of a kind carry one-time start-up: a mean would repeat it
 * for every origin), a model not started yet at the median of the started models of its
 * {@link Engine}, or else at its engine's prior relative cost times the seconds per unit of prior
 * the fits so far took. The wall time per second of fit work is that of the recent fits (at
 * least {@link #WINDOW} of them and {@link #WINDOW_WORK} of the work done): how many fits run
 * side by side changes during the run (the MLlib fits overlap the in-memory ones, then end), and
 * a window of a few millisecond baseline fits alone would say a second of wall time per
 * millisecond of work. Pricing every unstarted model at the mean of the first
 * fits, which are the slowest, and scaling by the whole run's ratio put the first lines of a
 * nightly at about 118 minutes for a 3-minute back-test.
 */
final class FitProgress {
  /**
   * How a model is fitted, with its cost per origin relative to an elastic-net fit of the EWP
   * panel. Medians per origin in a nightly's annual back-test (2026-12-03, 2 cores under load):
   * elastic net 5.5 s, XGBoost forest 0.6 s, MLlib logistic baseline 10.5 s, frequency baselines
   * under 0.05 s. Only the ratios matter, and only until a model of the engine has been fitted.
   */
  enum Engine {
    ELASTIC_NET(1.0),
    XGBOOST(0.1),
    FREQUENCY(0.001),
    MLLIB(2.0);

    final double prior;

    Engine(double prior) {
      this.prior = prior;
    }
  }

  /** The recent fits whose wall time and work give the current wall time per second of fit work. */
  static final int WINDOW = 8;
  /** ... and at least this share of the fit work done. */
  static final double WINDOW_WORK = 0.2;

  private final PrintStream err;
  private final long started = System.nanoTime();
  private final Map<String, Engine> engineByModel = new LinkedHashMap<>();
  private final Map<String, Integer> originsByModel = new LinkedHashMap<>();
  private final Map<String, List<Double>> fitsByModel = new LinkedHashMap<>();
  /** {elapsed at the end of the fit, its seconds}, in the order the fits ended. */
  private final List<double[]> ended = new ArrayList<>();
  private int done;
  private int total;

  FitProgress(PrintStream err) {
    this.err = err;
  }

  synchronized void expect(String model, Engine engine, int origins) {
    engineByModel.put(model, engine);
    originsByModel.merge(model, origins, Integer::sum);
    fitsByModel.putIfAbsent(model, new ArrayList<>());
    total += origins;
  }

  /** Records one fitted origin and prints its line. */
  synchronized void fitted(String model, int origin, double seconds) {
    List<Double> fits = fitsByModel.get(model);
    fits.add(seconds);
    done++;
    double elapsed = (System.nanoTime() - started) / 1e9;
    ended.add(new double[] {elapsed, seconds});
    err.printf(Locale.ROOT, "ewarn backtest: %s origin %d fitted in %.1f s (%d/%d of %s; %d/%d fits, %s elapsed, %s)%n",
        model, origin, seconds, fits.size(), originsByModel.get(model), model, done, total, duration(elapsed),
        left(elapsed));
    err.flush();
  }

  /** "about 1m20s left", from the work done so far; "done" at the end. */
  String left(double elapsed) {
    if (done >= total) {
      return "done";
    }
    double doneWork = 0;
    Map<String, Double> median = new LinkedHashMap<>();
    double medianSeconds = 0;
    double priorUnits = 0;
    for (Map.Entry<String, List<Double>> e : fitsByModel.entrySet()) {
      List<Double> fits = e.getValue();
      if (fits.isEmpty()) {
        continue;
      }
      doneWork += fits.stream().mapToDouble(Double::doubleValue).sum();
      double m = median(fits);
      median.put(e.getKey(), m);
      medianSeconds += m * fits.size();
      priorUnits += engineByModel.get(e.getKey()).prior * fits.size();
    }
    double secondsPerUnit = priorUnits == 0 ? 0 : medianSeconds / priorUnits;
    double leftWork = 0;
    for (Map.Entry<String, Integer> e : originsByModel.entrySet()) {
      String model = e.getKey();
      int left = e.getValue() - fitsByModel.get(model).size();
      if (left > 0) {
        leftWork += left * price(model, median, secondsPerUnit);
      }
    }
    return doneWork == 0 ? "time left unknown" : "about " + duration(leftWork * wallPerWork(elapsed, doneWork)) + " left";
  }

  /** Wall seconds per second of fit work over the recent fits, else over the whole run. */
  private double wallPerWork(double elapsed, double doneWork) {
    int n = ended.size();
    double work = 0;
    int first = n;
    while (first > 0 && (n - first < WINDOW || work < WINDOW_WORK * doneWork)) {
      first--;
      work += ended.get(first)[1];
    }
    if (first > 0) {
      double wall = ended.get(n - 1)[0] - ended.get(first - 1)[0];
      if (work > 0 && wall > 0) {
        return wall / work;
      }
    }
    return elapsed / doneWork;
  }

  /** Seconds per origin of a model: its own median, else that of its engine's started models, else the prior. */
  private double price(String model, Map<String, Double> median, double secondsPerUnit) {
    if (median.containsKey(model)) {
      return median.get(model);
    }
    Engine engine = engineByModel.get(model);
    List<Double> sameEngine = median.entrySet().stream().filter(e -> engineByModel.get(e.getKey()) == engine)
        .map(Map.Entry::getValue).toList();
    return sameEngine.isEmpty() ? engine.prior * secondsPerUnit : median(sameEngine);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
  }
}
