package org.ewarn.warehouse;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * One run's exclusive hold on a warehouse (or a stage of it), released by {@link #close()}. On
 * local disk an OS file lock, which the OS releases when the process dies, so {@code kill -9} never
 * leaves a stale lock. On HDFS and object stores a lock file created only if absent, kept fresh by
 * a heartbeat; a lock whose holder stopped beating for {@link Policy#staleAfter()} (or whose holder
 * process, on this host, is gone) is stale and is broken by the next run.
 */
public abstract sealed class RunLock implements AutoCloseable permits LocalLock, StoreLock {
  /**
   * Heartbeat and stale limits of lock files. {@code staleAfter} must exceed the longest pause a
   * live holder can suffer (GC, a NameNode failover), or two runs may hold the lock at once.
   */
  public record Policy(Duration heartbeat, Duration staleAfter) {
    public static final Policy DEFAULT = new Policy(Duration.ofSeconds(30), Duration.ofMinutes(10));

    public Policy {
      if (heartbeat.isNegative() || heartbeat.isZero() || staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("lock heartbeat " + heartbeat + " must be positive and at most half of"
            + " stale-after " + staleAfter);
      }
    }
  }

  private final String holder;

  RunLock(String holder) {
    this.holder = holder;
  }

  /** Who holds it: {@code pid 123 on host (command, since 2026-12-01T02:30:00Z)}. */
  public String holder() {
    return holder;
  }

  @Override
  public abstract void close();

  static String describeMe(String command) {
    return "pid " + ProcessHandle.current().pid() + " on " + host() + " (" + command + ", since " + Instant.now() + ")";
  }

  static String host() {
    return ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
  }

  static WarehouseFailure held(String where, String holder) {
    return new WarehouseFailure(WarehouseFailure.Kind.LOCKED,
        "another run holds the lock " + where + (holder.isEmpty() ? "" : ": " + holder));
  }
}
