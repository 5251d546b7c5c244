package org.ewarn.warehouse;

/**
 * A warehouse refusal the user can act on; the message names the dataset, partition or lock. Callers
 * map {@link #kind()} to their exit codes (jobs: MISSING, DAMAGED, CONCURRENT_PUBLISH → 1,
 * ALREADY_PUBLISHED → 2, LOCKED → 4; reports: a data problem).
 */
public final class WarehouseFailure extends RuntimeException {
  public enum Kind {
    /** No published partition where one was asked for. */
    MISSING,
    /**
     * A partition that cannot be trusted: a data file that is not readable Parquet (truncated,
     * corrupt), a folder with data files but no {@code _MANIFEST.json}, an unreadable manifest, or a
     * partition a run pointer names that is gone.
     */
    DAMAGED,
    /** Vintages are immutable: the partition is already published. */
    ALREADY_PUBLISHED,
    /** Another writer published the same partition while this one was writing it. */
    CONCURRENT_PUBLISH,
    /** Another run holds the lock; the message names the holder. */
    LOCKED
  }

  private final Kind kind;

  WarehouseFailure(Kind kind, String message) {
    this(kind, message, null);
  }

  WarehouseFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static WarehouseFailure damaged(String dataset, String vintage, String why, Throwable cause) {
    return new WarehouseFailure(Kind.DAMAGED,
        "partition " + dataset + "/vintage=" + vintage + " is damaged: " + why
            + "; it is refused rather than read as empty. Restore it from a backup, or remove the"
            + " folder and re-run the stage that writes " + dataset, cause);
  }
}
