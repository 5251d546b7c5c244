package org.ewarn.run;

/**
 * A failure the user can act on: carries the exit code and a message that names the file, key or
 * dataset at fault. Anything else escaping an action is a bug and exits 1 with a stack trace on
 * stderr.
 */
public class StageFailure extends RuntimeException {
  private final ExitCode exitCode;

  public StageFailure(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public StageFailure(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public static StageFailure config(String message) {
    return new StageFailure(ExitCode.USAGE_OR_CONFIG, message);
  }

  public static StageFailure qualityGate(String message) {
    return new StageFailure(ExitCode.QUALITY_GATE, message);
  }

  public static StageFailure locked(String message) {
    return new StageFailure(ExitCode.LOCKED, message);
  }

  /**
   * A warehouse refusal with the exit code schedulers know: a held lock 4, a published vintage
   * (immutable) 2 as a usage error, a missing, damaged or concurrently published partition 1; the
   * message (naming dataset, partition or lock holder) is kept.
   */
  public static StageFailure of(org.ewarn.warehouse.WarehouseFailure f) {
    ExitCode code = switch (f.kind()) {
      case LOCKED -> ExitCode.LOCKED;
      case ALREADY_PUBLISHED -> ExitCode.USAGE_OR_CONFIG;
      case MISSING, DAMAGED, CONCURRENT_PUBLISH -> ExitCode.FAILURE;
    };
    return new StageFailure(code, f.getMessage(), f.getCause());
  }

  /** The exit code of anything escaping a stage: its own for a failure the user can act on, else 1. */
  public static ExitCode exitCodeOf(Throwable e) {
    return e instanceof StageFailure s ? s.exitCode()
        : e instanceof org.ewarn.warehouse.WarehouseFailure w ? of(w).exitCode() : ExitCode.FAILURE;
  }
}
