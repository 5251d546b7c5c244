package org.ewarn.run;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on another thread of the same stage. */
public final class Futures {
  private Futures() {}

  /**
   * The future's value; the task's own exception is rethrown as it was (a StageFailure keeps its
   * exit code), so running work on a second thread changes no failure a user sees.
   */
  public static <T> T join(Future<T> future, String interruptedWhile) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + interruptedWhile, e);
    }
  }
}
