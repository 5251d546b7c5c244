package org.ewarn.nightly;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Progress lines on stderr (stdout carries only the JSON summary): stage, rows, elapsed. */
final class Progress {
  private final PrintStream err;
  private final String runId;
  private final int total;
  private int index;

  Progress(PrintStream err, String runId, int total) {
    this.err = err;
    this.runId = runId;
    this.total = total;
  }

  void startStage(String stage) {
    index++;
    line(stage, "running");
  }

  void skipped(String stage, String producedByRun, String runDate) {
    index++;
    line(stage, "skipped: inputs, configuration and code unchanged since run " + producedByRun
        + " (" + runDate + ")");
  }

  void unavailable(String stage) {
    index++;
    line(stage, "not part of this build yet; nothing to run");
  }

  void waiting(String stage, java.util.List<String> missing) {
    index++;
    line(stage, "waiting: needs " + String.join(", ", missing) + ", not part of this build yet");
  }

  void done(String stage, StageOutcome outcome, double seconds) {
    line(stage, String.format(Locale.ROOT, "done in %.1f s, %,d rows%s", seconds, outcome.rows(),
        outcome.counts().isEmpty() ? "" : " " + compact(outcome.counts())));
  }

  void failed(String stage, Throwable e, double seconds) {
    line(stage, String.format(Locale.ROOT, "FAILED after %.1f s: %s", seconds, e.getMessage()));
  }

  void note(String message) {
    err.println("nightly " + runId + ": " + message);
    err.flush();
  }

  private void line(String stage, String what) {
    err.printf(Locale.ROOT, "nightly %s [%d/%d] %s: %s%n", runId, index, total, stage, what);
    err.flush();
  }

  private static String compact(Map<String, Long> counts) {
    StringBuilder b = new StringBuilder("(");
    counts.entrySet().stream().limit(8).forEach(e ->
        b.append(b.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue()));
    if (counts.size() > 8) {
      b.append(", …");
    }
    return b.append(')').toString();
  }
}
