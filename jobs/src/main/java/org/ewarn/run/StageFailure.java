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
}
