package org.ewarn.reports;

/**
 * A rendering failure the user can act on. {@link #isDataProblem()} separates missing or malformed
 * marts (fix the upstream stage) from configuration mistakes (fix the settings); {@link #isLocked()}
 * means another render of the same output root is running (wait for it).
 */
public final class RenderFailure extends RuntimeException {
  private enum Kind { DATA, CONFIG, LOCKED }

  private final Kind kind;

  private RenderFailure(String message, Kind kind, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  static RenderFailure data(String message) {
    return new RenderFailure(message, Kind.DATA, null);
  }

  static RenderFailure config(String message) {
    return new RenderFailure(message, Kind.CONFIG, null);
  }

  static RenderFailure io(String message, Throwable cause) {
    return new RenderFailure(message, Kind.CONFIG, cause);
  }

  static RenderFailure locked(String message) {
    return new RenderFailure(message, Kind.LOCKED, null);
  }

  public boolean isDataProblem() {
    return kind == Kind.DATA;
  }

  public boolean isLocked() {
    return kind == Kind.LOCKED;
  }
}
