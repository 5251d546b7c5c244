package org.ewarn.reports;

/**
 * A rendering failure the user can act on. {@link #isDataProblem()} separates missing or malformed
 * marts (fix the upstream stage) from configuration mistakes (fix the settings).
 */
public final class RenderFailure extends RuntimeException {
  private final boolean dataProblem;

  private RenderFailure(String message, boolean dataProblem, Throwable cause) {
    super(message, cause);
    this.dataProblem = dataProblem;
  }

  static RenderFailure data(String message) {
    return new RenderFailure(message, true, null);
  }

  static RenderFailure config(String message) {
    return new RenderFailure(message, false, null);
  }

  static RenderFailure io(String message, Throwable cause) {
    return new RenderFailure(message, false, cause);
  }

  public boolean isDataProblem() {
    return dataProblem;
  }
}
