package org.ewarn.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ewarn.config.Settings;
import org.ewarn.run.ExitCode;
import org.ewarn.run.RunIds;
import org.ewarn.run.RunSummary;
import org.ewarn.run.StageFailure;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every stage command shares: loading the layered configuration, a run id, printing the JSON
 * summary line and turning failures into the documented exit codes. Subclasses only validate their
 * own options, build their config record and call their action.
 */
abstract class StageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "HOCON file layered over conf/ewarn.conf.")
  Path confFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one configuration key, e.g. --set warehouse.root=/data/wh (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--run-id", description = "Run id to record (default: a new time-ordered id).")
  String runId;

  /** Runs the stage; returns the summary printed on success. */
  abstract RunSummary execute(Settings settings, String runId);

  @Override
  public final Integer call() {
    String command = spec.name();
    String id = runId != null ? runId : RunIds.next(Clock.systemUTC());
    RunSummary summary;
    int exit;
    try {
      Settings settings = Settings.load(Settings.home(), confFile, sets);
      summary = execute(settings, id);
      exit = ExitCode.OK.code;
    } catch (StageFailure | org.ewarn.warehouse.WarehouseFailure failure) {
      StageFailure e = failure instanceof org.ewarn.warehouse.WarehouseFailure w ? StageFailure.of(w) : (StageFailure) failure;
      System.err.println("ewarn " + command + ": " + e.getMessage());
      if (e.getCause() != null) {
        e.getCause().printStackTrace(System.err);
      }
      summary = RunSummary.failed(command, id, e.exitCode(), e.getMessage());
      exit = e.exitCode().code;
    } catch (Exception | org.apache.hadoop.fs.FSError e) {
      // Spark's checked SparkException and Hadoop's FSError (an Error) arrive here too: a full or
      // read-only disk must still end with a message and the JSON line, not a bare stack trace
      e.printStackTrace(System.err);
      String io = ioProblem(e);
      String message = io != null
          ? "cannot write: " + io + "; nothing half-written was published (partitions and runs are"
              + " published whole, by rename); free space or fix permissions and re-run"
          : "unexpected failure: " + e;
      System.err.println("ewarn " + command + ": " + message);
      summary = RunSummary.failed(command, id, ExitCode.FAILURE, message);
      exit = ExitCode.FAILURE.code;
    }
    System.out.println(summary.toJsonLine());
    System.out.flush();
    return exit;
  }

  /** The innermost I/O error of a failure (e.g. "No space left on device"), or null. */
  static String ioProblem(Throwable e) {
    String found = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.io.IOException && t.getMessage() != null) {
        found = t.getMessage();
      }
    }
    return found;
  }
}
