package org.ewarn.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line with an estimate of the time left for a stage step made of similar parts
 * (forecast training windows, ingest sources, back-test origins): after each part,
 * {@code ewarn <stage>: <part> done (k/n, 42 s, about 65 s left)} on stderr. The estimate is the
 * mean time per finished part times the parts left; parts may finish from several threads.
 */
public final class StepProgress {
  private final String stage;
  private final int total;
  private final PrintStream err;
  private final long started = System.nanoTime();
  private int done;

  public StepProgress(String stage, int total, PrintStream err) {
    this.stage = stage;
    this.total = total;
    this.err = err;
  }

  public static StepProgress onStderr(String stage, int total) {
    return new StepProgress(stage, total, System.err);
  }

  /** Records one finished part and prints the line. */
  public synchronized void done(String part) {
    done++;
    double elapsed = (System.nanoTime() - started) / 1e9;
    String left = done >= total ? "" : String.format(Locale.ROOT, ", about %.0f s left", elapsed / done * (total - done));
    err.printf(Locale.ROOT, "ewarn %s: %s done (%d/%d, %.0f s%s)%n", stage, part, done, total, elapsed, left);
    err.flush();
  }
}
