package org.ewarn.nightly;

import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Spark stage progress for long steps: registered through {@code spark.extraListeners} by the
 * nightly command, it prints one stderr line per Spark stage that took at least the threshold
 * (the console progress bar's carriage returns make scheduler logs unreadable).
 */
public final class SparkProgress extends SparkListener {
  /** The ewarn stage the nightly runner is in, so Spark's call-site names get a readable owner. */
  static volatile String currentStage = "-";

  static final String THRESHOLD_PROPERTY = "ewarn.progress.spark-stage-min-seconds";

  private final double thresholdSeconds =
      Double.parseDouble(System.getProperty(THRESHOLD_PROPERTY, "2"));

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo info = completed.stageInfo();
    if (info.submissionTime().isEmpty() || info.completionTime().isEmpty()) {
      return;
    }
    double seconds =
        ((Long) info.completionTime().get() - (Long) info.submissionTime().get()) / 1000.0;
    if (seconds < thresholdSeconds) {
      return;
    }
    String outcome = info.failureReason().isDefined() ? "failed: " + info.failureReason().get() : "done";
    System.err.printf(Locale.ROOT, "  %s: spark stage %d, %d tasks, %.1f s, %s (%s)%n",
        currentStage, info.stageId(), info.numTasks(), seconds, outcome, info.name());
    System.err.flush();
  }
}
