package org.ewarn.backtest;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One stderr line per fitted origin with an estimate of the time left. Fits of different models
 * cost very different times (an in-memory elastic net a second, a 300-tree forest many) and run
 * concurrently, so the estimate scales the elapsed wall time by the work left, each model's
 * remaining origins weighted by the mean fit time of that model so far (of all fits while a
 * model has none yet).
 */
final class FitProgress {
  private final PrintStream err;
  private final long started = System.nanoTime();
  private final Map<String, int[]> originsByModel = new LinkedHashMap<>(); // {done, total}
  private final Map<String, Double> secondsByModel = new LinkedHashMap<>();
  private int done;
  private int total;

  FitProgress(PrintStream err) {
    this.err = err;
  }

  synchronized void expect(String model, int origins) {
    originsByModel.computeIfAbsent(model, m -> new int[2])[1] += origins;
    secondsByModel.putIfAbsent(model, 0.0);
    total += origins;
  }

  /** Records one fitted origin and prints its line. */
  synchronized void fitted(String model, int origin, double seconds) {
    int[] d = originsByModel.get(model);
    d[0]++;
    done++;
    secondsByModel.merge(model, seconds, Double::sum);
    double elapsed = (System.nanoTime() - started) / 1e9;
    err.printf(Locale.ROOT, "ewarn backtest: %s origin %d fitted in %.1f s (%d/%d of %s; %d/%d fits, %s elapsed, %s)%n",
        model, origin, seconds, d[0], d[1], model, done, total, duration(elapsed), left(elapsed));
    err.flush();
  }

  /** "about 1m20s left", from the work done so far; "done" at the end. */
  String left(double elapsed) {
    if (done >= total) {
      return "done";
    }
    double doneWork = 0;
    double allSeconds = 0;
    int allDone = 0;
    for (Map.Entry<String, int[]> e : originsByModel.entrySet()) {
      allSeconds += secondsByModel.get(e.getKey());
      allDone += e.getValue()[0];
    }
    double overallMean = allDone == 0 ? 0 : allSeconds / allDone;
    double leftWork = 0;
    for (Map.Entry<String, int[]> e : originsByModel.entrySet()) {
      int[] d = e.getValue();
      double mean = d[0] == 0 ? overallMean : secondsByModel.get(e.getKey()) / d[0];
      leftWork += (d[1] - d[0]) * mean;
      doneWork += secondsByModel.get(e.getKey());
    }
    return doneWork == 0 ? "time left unknown" : "about " + duration(elapsed * leftWork / doneWork) + " left";
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
  }
}
