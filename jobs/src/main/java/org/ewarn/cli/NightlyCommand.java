package org.ewarn.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.nightly.NightlyRun;
import org.ewarn.nightly.SparkProgress;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = {
      "Run ingest, panel, backtest, forecast, export and render for a logical run date.",
      "A stage whose inputs, configuration and code are unchanged since its last",
      "success is skipped; re-running a failed night resumes at the failed stage;",
      "<output.root>/latest.json switches to the new run only when all succeeded.",
      "Exit 4 when another nightly run holds the lock. Settings: conf/nightly.conf."})
final class NightlyCommand extends StageCommand {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
      description = "Logical date of the run, recorded in the run record (default: today, UTC;"
          + " at most tomorrow, for schedulers east of UTC).")
  LocalDate runDate;

  @Option(names = "--force", description = "Run every stage even when its fingerprint is unchanged.")
  boolean force;

  @Override
  RunSummary execute(Settings settings, String runId) {
    Clock clock = Clock.systemUTC();
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (runDate != null && runDate.isAfter(today.plusDays(1))) {
      // a run dated ahead would be taken as the newest edition and shadow the real nights after it
      throw org.ewarn.run.StageFailure.config("--run-date " + runDate + " is in the future (today is " + today
          + " in UTC; at most " + today.plusDays(1) + " is accepted, for schedulers east of UTC)");
    }
    List<String> stages = settings.strings("nightly.stages");
    for (String s : stages) {
      if (!NightlyStages.PIPELINE.contains(s)) {
        throw settings.problem("nightly.stages", "stage names from " + NightlyStages.PIPELINE + ", got '" + s + "'");
      }
    }
    NightlyRun.Config config = new NightlyRun.Config(
        stages,
        settings.location("nightly.state-dir"),
        settings.location("warehouse.root"),
        settings.location("output.root"),
        settings.integer("nightly.retention.keep-runs", 1, 10_000),
        runDate != null ? runDate : LocalDate.now(clock.withZone(ZoneOffset.UTC)),
        force);
    double sparkStageSeconds = settings.number("nightly.progress.spark-stage-min-seconds", 0, 86_400);
    installSparkProgress(sparkStageSeconds);
    NightlyRun.Result result = new NightlyRun(config, settings, NightlyStages.available(clock),
        CodeVersion.of(settings.projectHome()), clock, System.err).execute(runId);

    Map<String, Object> stageStatus = new LinkedHashMap<>();
    result.stages().forEach(s -> stageStatus.put(s.stage(), s.status()));
    Map<String, String> outputs = new LinkedHashMap<>(result.latest().outputs());
    outputs.put("latest", Storage.open(config.outputRoot()).location(RunPointer.FILE));
    return RunSummary.ok("nightly", runId, outputs, NightlyRun.statusCounts(result))
        .withDetails(Map.of(
            "run_date", result.runDate().toString(),
            "published", result.published(),
            "latest_run_id", result.latest().runId(),
            "stages", stageStatus));
  }

  /** Spark reads spark.* system properties into every new session's configuration. */
  private static void installSparkProgress(double minSeconds) {
    System.setProperty("ewarn.progress.spark-stage-min-seconds", String.valueOf(minSeconds));
    String listeners = System.getProperty("spark.extraListeners", "");
    if (!listeners.contains(SparkProgress.class.getName())) {
      System.setProperty("spark.extraListeners",
          listeners.isEmpty() ? SparkProgress.class.getName() : listeners + "," + SparkProgress.class.getName());
    }
  }
}
