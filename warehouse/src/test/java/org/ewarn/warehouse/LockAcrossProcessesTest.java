package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock held by another process is refused naming it; {@code kill -9} of the holder frees it at
 * once on local disk (the OS lock) and on HDFS (the holder's pid on this host is gone); a lock file
 * whose holder elsewhere stopped beating is broken once it is stale, by one run only.
 */
class LockAcrossProcessesTest {
  @TempDir Path tmp;
  static final RunLock.Policy FAST = new RunLock.Policy(Duration.ofMillis(200), Duration.ofSeconds(2));

  @Test
  void localDiskKillMinusNineLeavesNoStaleLock() throws Exception {
    killedHolderFreesTheLock(tmp.resolve("wh").toString());
  }

  @Test
  void hdfsKillMinusNineOfAHolderOnThisHostFreesTheLock() throws Exception {
    killedHolderFreesTheLock(Hdfs.root("kill"));
  }

  private void killedHolderFreesTheLock(String root) throws Exception {
    Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), root, "nightly"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("held pid " + child.pid());
      Warehouse w = Warehouse.open(root, root.startsWith("hdfs") ? Hdfs.conf() : new org.apache.hadoop.conf.Configuration());
      assertThatThrownBy(() -> w.lock("nightly", "parent"))
          .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.LOCKED))
          .hasMessageContaining("pid " + child.pid()).hasMessageContaining("lock test child");
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no release
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (RunLock mine = w.lock("nightly", "parent after the kill")) {
        assertThat(mine.holder()).contains("pid " + ProcessHandle.current().pid());
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aLockFileWhoseHolderStoppedBeatingIsBrokenByOneRunOnly() throws Exception {
    Warehouse w = Warehouse.open(Hdfs.root("stale"), Hdfs.conf()).withLockPolicy(FAST);
    Storage s = w.storage();
    String file = "_locks/nightly.lock";
    s.write(file, "pid 4242 on another-host.example (nightly, since 2026-12-01T02:30:00Z)".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> w.lock("nightly", "too early")).hasMessageContaining("another-host.example");

    s.fs.setTimes(s.path(file), System.currentTimeMillis() - 60_000, -1);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<RunLock>> tries = List.of(two.submit(() -> takeAfter(together, w)), two.submit(() -> takeAfter(together, w)));
      int won = 0;
      int refused = 0;
      RunLock winner = null;
      for (Future<RunLock> t : tries) {
        try {
          winner = t.get(60, TimeUnit.SECONDS);
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(WarehouseFailure.class).hasMessageContaining("another run");
          refused++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(refused).isEqualTo(1);
      assertThat(s.list("_locks")).containsExactly("nightly.lock");
      winner.close();
      assertThat(s.list("_locks")).isEmpty();
    } finally {
      two.shutdownNow();
    }
  }

  private static RunLock takeAfter(CyclicBarrier barrier, Warehouse w) throws Exception {
    barrier.await(30, TimeUnit.SECONDS);
    return w.lock("nightly", "breaker " + Thread.currentThread().getName());
  }

  @Test
  void aHeldLockStaysFreshPastTheStaleLimit() throws Exception {
    Warehouse w = Warehouse.open(Hdfs.root("fresh"), Hdfs.conf()).withLockPolicy(FAST);
    try (RunLock held = w.lock("nightly", "long run")) {
      long taken = status(w).getModificationTime();
      Thread.sleep(3_000); // past staleAfter: only the heartbeat keeps it
      FileStatus now = status(w);
      assertThat(now.getModificationTime()).isGreaterThan(taken);
      assertThat(System.currentTimeMillis() - now.getModificationTime()).isLessThan(FAST.staleAfter().toMillis());
      assertThat(StoreLock.isStale(now, "pid 1 on another-host.example (x)", FAST)).isFalse();
      assertThat(((StoreLock) held).lost()).isFalse();
    }
  }

  private static FileStatus status(Warehouse w) throws Exception {
    return w.storage().fs.getFileStatus(w.storage().path("_locks/nightly.lock"));
  }
}
