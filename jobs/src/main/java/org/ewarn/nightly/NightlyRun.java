package org.ewarn.nightly;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ewarn.config.Settings;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * The nightly pipeline: runs the configured stages in order under the warehouse's nightly lock,
 * skips each stage whose fingerprint equals its last successful run's, and publishes the run's
 * products by switching {@code latest.json} once all stages have succeeded.
 *
 * <p>Resuming: after a failure or a kill the stages that succeeded have records with unchanged
 * fingerprints, so a re-run skips them and starts at the one that stopped. What that stage had
 * already published under the stopped run's id is removed first ({@link UnfinishedRuns}).
 */
public final class NightlyRun {

  /** The {@code nightly} section, bound once; the folders are local paths or URIs of any Hadoop store. */
  public record Config(
      List<String> stages,
      String stateDir,
      String warehouseRoot,
      String outputRoot,
      int keepRuns,
      LocalDate runDate,
      boolean force) {
    public Config {
      stages = List.copyOf(stages);
    }
  }

  /** What the run did; {@code published} is false when nothing changed and latest stayed. */
  public record Result(
      String runId,
      LocalDate runDate,
      List<RunRecord.StageReport> stages,
      boolean published,
      RunPointer latest,
      List<String> removed) {

    public long count(String status) {
      return stages.stream().filter(s -> s.status().equals(status)).count();
    }
  }

  private final Config config;
  private final Settings settings;
  private final Map<String, Stage> available;
  private final String codeVersion;
  private final Clock clock;
  private final PrintStream err;

  public NightlyRun(
      Config config, Settings settings, Map<String, Stage> available, String codeVersion, Clock clock, PrintStream err) {
    this.config = config;
    this.settings = settings;
    this.available = Map.copyOf(available);
    this.codeVersion = codeVersion;
    this.clock = clock;
    this.err = err;
  }

  public Result execute(String runId) {
    Warehouse warehouse = Warehouse.open(config.warehouseRoot());
    RunLock lock;
    try {
      lock = warehouse.lock("nightly", "nightly run " + runId + " for " + config.runDate());
    } catch (org.ewarn.warehouse.WarehouseFailure held) {
      throw StageFailure.of(held);
    }
    try (lock) {
      return executeLocked(runId, warehouse, Storage.open(config.stateDir()), Storage.open(config.outputRoot()));
    }
  }

  private Result executeLocked(String runId, Warehouse warehouse, Storage state, Storage outputs) {
    Progress progress = new Progress(err, runId, config.stages().size());
    progress.note("run date " + config.runDate() + ", stages " + config.stages());
    StageLedger ledger = new StageLedger(state);
    UnfinishedRuns unfinished = new UnfinishedRuns(state, warehouse);
    ChecksumCache checksums = ChecksumCache.open(state, "checksums.json");
    String runFile = "runs/" + runId + "/run.json";
    String started = clock.instant().toString();
    List<Path> notInputs = new ArrayList<>();
    for (String root : List.of(config.warehouseRoot(), config.outputRoot(), config.stateDir())) {
      if (!Settings.isUri(root)) {
        notInputs.add(Path.of(root).toAbsolutePath().normalize());
      }
    }
    for (String name : config.stages()) {
      if (available.containsKey(name)) {
        available.get(name).writes(settings).forEach(p -> notInputs.add(p.toAbsolutePath().normalize()));
      }
    }

    Map<String, String> upstream = new TreeMap<>();
    List<RunRecord.StageReport> reports = new ArrayList<>();
    boolean anyRan = false;
    for (String name : config.stages()) {
      Stage stage = available.get(name);
      if (stage == null) {
        progress.unavailable(name);
        reports.add(new RunRecord.StageReport(name, "unavailable", 0, null, null, Map.of(), Map.of(),
            "stage not part of this build"));
        continue;
      }
      List<String> missing = stage.requires().stream().filter(r -> !available.containsKey(r)).toList();
      if (!missing.isEmpty()) {
        progress.waiting(name, missing);
        reports.add(new RunRecord.StageReport(name, "waiting", 0, null, null, Map.of(), Map.of(),
            "needs " + missing + ", not part of this build"));
        continue;
      }
      long t0 = System.nanoTime();
      Fingerprint fingerprint =
          Fingerprint.of(stage, settings, codeVersion, upstream, checksums, notInputs);
      Optional<StageLedger.Entry> last = ledger.lastSuccess(name);
      if (!config.force() && last.isPresent()
          && last.get().fingerprint().equals(fingerprint.value())
          && outputsExist(last.get().outputs(), outputs)) {
        progress.skipped(name, last.get().runId(), last.get().runDate());
        reports.add(new RunRecord.StageReport(name, "skipped", seconds(t0), fingerprint.value(),
            last.get().runId(), last.get().outputs(), last.get().counts(), null));
        prefixInto(upstream, name, last.get().outputs());
        continue;
      }
      progress.startStage(name);
      List<String> discarded = unfinished.discardPartialOutputs(name, runId, last);
      if (!discarded.isEmpty()) {
        progress.note(name + ": removed " + discarded.size() + " partitions a stopped run published before it"
            + " stopped in this stage (" + String.join(", ", discarded) + ")");
      }
      SparkProgress.currentStage = name;
      writeRecord(state, runFile, runId, "running", started, null, reports, Map.of(), null);
      StageOutcome outcome;
      try {
        outcome = stage.run(new StageContext(settings, runId, config.runDate(), upstream));
      } catch (RuntimeException e) {
        double s = seconds(t0);
        progress.failed(name, e, s);
        reports.add(new RunRecord.StageReport(name, "failed", s, fingerprint.value(), runId,
            Map.of(), Map.of(), String.valueOf(e.getMessage())));
        writeRecord(state, runFile, runId, "failed", started, clock.instant().toString(), reports, Map.of(),
            name + ": " + e.getMessage());
        checksums.save();
        ExitCode code = StageFailure.exitCodeOf(e);
        throw new StageFailure(code, "stage " + name + " failed: " + e.getMessage()
            + "; latest.json still points at the previous run. Fix the cause and re-run: the"
            + " nightly run resumes at " + name, e);
      }
      double s = seconds(t0);
      ledger.recordSuccess(new StageLedger.Entry(name, fingerprint.value(), runId,
          config.runDate().toString(), clock.instant().toString(), codeVersion,
          fingerprint.configHash(), fingerprint.inputChecksums(), outcome.outputs(), outcome.counts()));
      progress.done(name, outcome, s);
      reports.add(new RunRecord.StageReport(name, "ran", s, fingerprint.value(), runId,
          outcome.outputs(), outcome.counts(), null));
      prefixInto(upstream, name, outcome.outputs());
      anyRan = true;
    }
    checksums.save();

    Optional<RunPointer> previous = RunPointer.read(outputs);
    boolean unchanged = !anyRan && previous.isPresent() && previous.get().outputs().equals(upstream);
    RunPointer latest;
    String status;
    if (unchanged) {
      latest = previous.get();
      status = "unchanged";
      progress.note("nothing new; latest.json stays at run " + latest.runId());
    } else {
      latest = new RunPointer(runId, config.runDate().toString(), clock.instant().toString(),
          codeVersion, upstream);
      latest.switchTo(outputs);
      status = "published";
      progress.note("published: " + outputs.location(RunPointer.FILE) + " → run " + runId);
    }
    writeRecord(state, runFile, runId, status, started, clock.instant().toString(), reports, upstream, null);

    List<String> referenced = new ArrayList<>();
    for (String name : config.stages()) {
      ledger.lastSuccess(name).ifPresent(e -> referenced.addAll(e.outputs().values()));
    }
    referenced.addAll(latest.outputs().values());
    List<String> removed = new Retention(state, warehouse, outputs, config.keepRuns()).prune(referenced);
    if (!removed.isEmpty()) {
      progress.note("retention (keep " + config.keepRuns() + " runs): removed " + removed.size()
          + " folders of older runs");
    }
    return new Result(runId, config.runDate(), List.copyOf(reports), !unchanged, latest, removed);
  }

  private void writeRecord(Storage state, String file, String runId, String status, String started, String finished,
      List<RunRecord.StageReport> reports, Map<String, String> outputs, String failure) {
    state.writeJson(file, new RunRecord(runId, config.runDate().toString(), status, started,
        finished, codeVersion, List.copyOf(reports), new TreeMap<>(outputs), failure));
  }

  private static void prefixInto(Map<String, String> upstream, String stage, Map<String, String> outputs) {
    outputs.forEach((k, v) -> upstream.put(stage + "." + k, v));
  }

  /** A recorded output that was deleted by hand cannot be skipped over: the stage runs again. */
  private static boolean outputsExist(Map<String, String> outputs, Storage outputRoot) {
    for (String value : outputs.values()) {
      if (value == null || !(value.startsWith("/") || Settings.isUri(value))) {
        continue;
      }
      boolean exists = value.startsWith("/") && !Settings.isUri(value)
          ? java.nio.file.Files.exists(Path.of(value))
          : Storage.open(value, outputRoot.configuration()).exists("");
      if (!exists) {
        return false;
      }
    }
    return true;
  }

  private static double seconds(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
  }

  /** The reports as a summary's counts: stages_ran, stages_skipped, … */
  public static Map<String, Long> statusCounts(Result result) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String s : List.of("ran", "skipped", "unavailable", "waiting")) {
      counts.put("stages_" + s, result.count(s));
    }
    return counts;
  }
}
