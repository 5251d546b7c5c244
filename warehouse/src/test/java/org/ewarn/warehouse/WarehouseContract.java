package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, run on local disk, on a real HDFS, and in manifest-last mode (HDFS
 * forced, and a store that cannot rename at all). Expected values come from the CSV text of the
 * bundled EWP forecasts, read independently of the code under test.
 */
abstract class WarehouseContract {
  static final Table FORECASTS = TestData.forecasts();

  /** A fresh, empty store root. */
  abstract Storage storage(String name);

  Warehouse warehouse(String name) {
    return Warehouse.on(storage(name));
  }

  @Test
  void aPublishedPartitionReadsBackRowForRow() {
    Warehouse w = warehouse("publish");
    Partition p = w.publish("ewp_forecasts", "2023", TestData.manifest("ewp_forecasts", "2023", "r1",
        "2026-12-01T02:00:00Z"), FORECASTS);

    Partition again = w.require("ewp_forecasts");
    Table read = again.read();
    assertThat(read.columns()).isEqualTo(TestData.COLUMNS);
    assertThat(read.size()).isEqualTo(4724);
    assertThat(read.rows()).isEqualTo(FORECASTS.rows());
    // line 2 of the CSV: "1",1994,"Afghanistan",700,0,1993,1992,0.358621968666427,2,NA,NA,…
    assertThat(read.rows().get(0)).containsExactly("1", 1994, "Afghanistan", 700, false,
        LocalDate.of(1993, 1, 1), 0.358621968666427, 2L, null);
    assertThat(again.manifest()).isEqualTo(p.manifest());
    assertThat(again.dataFiles()).hasSize(1).allMatch(f -> f.endsWith("/ewp_forecasts/vintage=2023/part-00000.zstd.parquet"));
    assertThat(again.verify()).isEqualTo(4724);
    assertThat(again.columns()).isEqualTo(TestData.COLUMNS);
    assertThat(w.storage().list("ewp_forecasts/vintage=2023")).contains(Warehouse.MANIFEST);
    assertThat(w.storage().list("")).doesNotContain("ewp_forecasts_staging").allMatch(n -> !n.contains("publishing"));
  }

  @Test
  void latestIsTheLastFinishedAndPartitionsAreOldestFirst() {
    Warehouse w = warehouse("latest");
    w.publish("d", "b", TestData.manifest("d", "b", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 3));
    w.publish("d", "a", TestData.manifest("d", "a", "r2", "2026-12-01T03:00:00.5Z"), TestData.slice(FORECASTS, 3, 4));
    w.publish("d", "c", TestData.manifest("d", "c", "r3", "2026-12-01T03:00:00Z"), TestData.slice(FORECASTS, 7, 5));
    assertThat(w.partitions("d")).extracting(Partition::vintage).containsExactly("b", "c", "a");
    assertThat(w.latest("d").orElseThrow().vintage()).isEqualTo("a");
    assertThat(w.latest("d").orElseThrow().read().size()).isEqualTo(4);
    assertThat(w.latest("never_published")).isEmpty();
    assertThatThrownBy(() -> w.require("never_published"))
        .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.MISSING))
        .hasMessageContaining("never_published");
  }

  @Test
  void aPublishedPartitionIsNeverReplaced() {
    Warehouse w = warehouse("immutable");
    w.publish("d", "1", TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 2));
    assertThatThrownBy(() -> w.publish("d", "1", TestData.manifest("d", "1", "r2", "2026-12-01T03:00:00Z"),
        TestData.slice(FORECASTS, 2, 9)))
        .isInstanceOfSatisfying(WarehouseFailure.class,
            f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.ALREADY_PUBLISHED))
        .hasMessageContaining("d/vintage=1 is already published");
    Partition p = w.partition("d", "1").orElseThrow();
    assertThat(p.manifest().runId()).isEqualTo("r1");
    assertThat(p.read().size()).isEqualTo(2);
    assertThatThrownBy(() -> w.stage("r3", "d", "1")).isInstanceOf(WarehouseFailure.class);
  }

  @Test
  void aWriterThatFailsOrAKilledRunLeavesNothingVisible() {
    Warehouse w = warehouse("killed");
    Staged failing = w.stage("r1", "d", "1");
    failing.writeTable(TestData.slice(FORECASTS, 0, 10));
    failing.abandon();
    w.discardStaging("r1");
    assertThat(w.partition("d", "1")).isEmpty();
    assertThat(w.storage().exists("d/vintage=1")).isFalse();

    // killed: written, never published, never abandoned: invisible, and the next run publishes anew
    w.stage("r2", "d", "1").writeTable(TestData.slice(FORECASTS, 0, 10));
    assertThat(w.partition("d", "1")).isEmpty();
    assertThat(w.partitions("d")).isEmpty();
    assertThat(w.datasets()).allMatch(d -> !d.startsWith("_"));
    Staged resumed = w.stage("r3", "d", "1");
    resumed.writeTable(TestData.slice(FORECASTS, 100, 3));
    resumed.publish(TestData.manifest("d", "1", "r3", "2026-12-01T02:00:00Z"));
    w.discardStaging("r2");
    assertThat(w.require("d").read().rows()).isEqualTo(FORECASTS.rows().subList(100, 103));
    assertThat(w.stagingRuns()).doesNotContain("r2");
    w.discardStaging("r3");
    assertThat(w.stagingRuns()).isEmpty();
  }

  @Test
  void anEmptyFolderWithoutManifestIsNothingYet() throws Exception {
    Warehouse w = warehouse("empty");
    w.storage().mkdirs(w.partitionPath("d", "2099"));
    assertThat(w.partition("d", "2099")).isEmpty();
    assertThat(w.partitions("d")).isEmpty();
  }

  @Test
  void dataWithoutManifestIsRefusedNamingDatasetAndPartition() {
    Warehouse w = warehouse("nomanifest");
    w.publish("risk", "2023", TestData.manifest("risk", "2023", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 5));
    w.publish("risk", "2024", TestData.manifest("risk", "2024", "r2", "2026-12-01T03:00:00Z"), TestData.slice(FORECASTS, 5, 5));
    w.storage().deleteTree("risk/vintage=2024/" + Warehouse.MANIFEST);

    for (Runnable read : List.<Runnable>of(() -> w.latest("risk"), () -> w.partitions("risk"),
        () -> w.partition("risk", "2024"), () -> w.stage("r3", "risk", "2024"))) {
      assertThatThrownBy(read::run)
          .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.DAMAGED))
          .hasMessageContaining("partition risk/vintage=2024 is damaged")
          .hasMessageContaining("no _MANIFEST.json");
    }
    assertThat(w.partition("risk", "2023")).isPresent();
  }

  @Test
  void anUnreadableManifestIsRefused() {
    Warehouse w = warehouse("badmanifest");
    w.publish("d", "1", TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 5));
    w.storage().write("d/vintage=1/" + Warehouse.MANIFEST, "{\"dataset\": \"d\", \"counts\": {".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> w.latest("d")).isInstanceOf(WarehouseFailure.class)
        .hasMessageContaining("d/vintage=1 is damaged").hasMessageContaining("_MANIFEST.json is unreadable");
  }

  @Test
  void aTruncatedDataFileIsRefusedNotReadAsEmpty() {
    Warehouse w = warehouse("truncated");
    Partition p = publishThenDamage(w, bytes -> Arrays.copyOf(bytes, bytes.length / 2));
    assertDamaged(p::read);
    assertDamaged(p::verify);
    assertDamaged(p::columns);
    w.storage().write("d/vintage=1/" + ParquetTables.FILE, new byte[0]);
    assertDamaged(p::read);
  }

  @Test
  void aCorruptDataPageIsRefused() {
    Partition p = publishThenDamage(warehouse("corrupt"), bytes -> {
      for (int i = bytes.length / 4; i < bytes.length / 4 + 64; i++) {
        bytes[i] ^= 0x5a;
      }
      return bytes;
    });
    assertThat(p.verify()).as("the footer is intact").isEqualTo(4724);
    assertDamaged(p::read);
  }

  private static Partition publishThenDamage(Warehouse w, java.util.function.UnaryOperator<byte[]> damage) {
    Partition p = w.publish("d", "1", TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"), FORECASTS);
    String file = "d/vintage=1/" + ParquetTables.FILE;
    w.storage().write(file, damage.apply(w.storage().read(file).orElseThrow()));
    return p;
  }

  private static void assertDamaged(Runnable read) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.DAMAGED))
        .hasMessageContaining("partition d/vintage=1 is damaged: a data file is not readable Parquet");
  }

  @Test
  void aReaderDuringAPublishSeesNothingOrTheWholePartition() throws Exception {
    Warehouse w = warehouse("visibility");
    int files = 4;
    int perFile = 300;
    int vintages = 6;
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch lookedMidway = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer = pool.submit(() -> {
        for (int v = 0; v < vintages; v++) {
          Staged s = w.stage("writer", "d", "v" + v);
          for (int f = 0; f < files; f++) {
            write(w, s, f, TestData.slice(FORECASTS, (v * files + f) * perFile % 4000, perFile));
            if (v == 0 && f == files / 2) {
              halfWritten.countDown();
              await(lookedMidway);
            }
          }
          s.publish(TestData.manifest("d", "v" + v, "writer", Instant.parse("2026-12-01T00:00:00Z").plusSeconds(v).toString()));
        }
        return null;
      });
      AtomicInteger complete = new AtomicInteger();
      Future<?> reader = pool.submit(() -> {
        await(halfWritten);
        try {
          assertThat(w.partition("d", "v0")).isEmpty();
          assertThat(w.partitions("d")).isEmpty();
          assertThat(halfWrittenFiles(w)).as("the reader looked while data files were there").isGreaterThan(0);
        } finally {
          lookedMidway.countDown();
        }
        while (!writer.isDone()) {
          for (Partition p : w.partitions("d")) {
            assertThat(p.read().size()).as(p.id()).isEqualTo(files * perFile);
            complete.incrementAndGet();
          }
        }
        return null;
      });
      reader.get(120, TimeUnit.SECONDS);
      writer.get(120, TimeUnit.SECONDS);
      assertThat(w.partitions("d")).hasSize(vintages);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void write(Warehouse w, Staged s, int f, Table rows) {
    try {
      Path dir = s.path();
      w.storage().mkdirs(dir);
      ParquetTables.write(w.storage(), new Path(dir, String.format("part-%05d.zstd.parquet", f)), rows);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Parquet files anywhere under the root that are not in a published partition. */
  private static long halfWrittenFiles(Warehouse w) {
    return halfWrittenFiles(w.storage(), new Path(w.root()));
  }

  private static long halfWrittenFiles(Storage s, Path dir) {
    long n = 0;
    for (var st : s.statuses(dir)) {
      if (st.isDirectory()) {
        n += halfWrittenFiles(s, st.getPath());
      } else if (st.getPath().getName().endsWith(".parquet") && s.read(new Path(dir, Warehouse.MANIFEST)).isEmpty()) {
        n++;
      }
    }
    return n;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void stagedRowsCanBeReplacedByRowsComputedFromThem() {
    Warehouse w = warehouse("replace");
    Staged s = w.stage("r1", "d", "1");
    s.writeTable(TestData.slice(FORECASTS, 0, 50));
    Table staged = new Partition(w.storage(), "d", "1", s.path(), TestData.manifest("d", "1", "r1", "x")).read();
    List<List<Object>> withRisk = staged.rows().stream().filter(r -> r.get(6) != null).toList();
    s.replace(next -> {
      Storage at = Storage.open(next, w.storage().conf, w.storage().commit());
      try {
        ParquetTables.write(at, new Path(new Path(at.root()), ParquetTables.FILE), new Table(staged.columns(), withRisk));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Partition p = s.publish(TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"));
    assertThat(p.read().rows()).isEqualTo(withRisk).hasSizeLessThan(50).isNotEmpty();
  }

  @Test
  void aSnapshotReadsTheMartsOfOneCompleteRunWhileTheNextPublishes() {
    Warehouse w = warehouse("snapshot");
    // an older edition, not produced by the run: visible in the snapshot (finished before it)
    w.publish("trajectories", "2019", TestData.manifest("trajectories", "2019", "r0", "2026-11-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 1));
    Partition forecasts1 = w.publish("forecasts", "2024", TestData.manifest("forecasts", "2024", "r1", "2026-12-01T02:10:00Z"), TestData.slice(FORECASTS, 0, 2));
    Partition metrics1 = w.publish("metrics", "r1", TestData.manifest("metrics", "r1", "r1", "2026-12-01T02:20:00Z"), TestData.slice(FORECASTS, 0, 3));
    Partition trajectories1 = w.publish("trajectories", "2024", TestData.manifest("trajectories", "2024", "r1", "2026-12-01T02:15:00Z"), TestData.slice(FORECASTS, 0, 4));
    RunPointer pointer = new RunPointer("r1", "2026-12-01", "2026-12-01T02:30:00Z", "code", Map.of(
        "forecast.risk_forecasts", forecasts1.location(), "forecast.risk_trajectories", trajectories1.location(),
        "backtest.backtest_metrics", metrics1.location(), "export.notebooks", "/elsewhere/exports/r1"));
    Storage out = storage("out");
    pointer.switchTo(out);

    // the next run publishes half of its marts
    w.publish("forecasts", "2025", TestData.manifest("forecasts", "2025", "r2", "2026-12-02T02:10:00Z"), TestData.slice(FORECASTS, 0, 5));
    w.publish("trajectories", "2025", TestData.manifest("trajectories", "2025", "r2", "2026-12-02T02:15:00Z"), TestData.slice(FORECASTS, 0, 6));

    Snapshot s = w.snapshot(RunPointer.read(out).orElseThrow());
    assertThat(w.latest("forecasts").orElseThrow().vintage()).isEqualTo("2025");
    assertThat(s.latest("forecasts").orElseThrow().vintage()).isEqualTo("2024");
    assertThat(s.latest("metrics").orElseThrow().vintage()).isEqualTo("r1");
    assertThat(s.partitions("trajectories")).extracting(Partition::vintage).containsExactly("2019", "2024");
    assertThat(s.partition("trajectories", "2025")).isEmpty();
    assertThat(s.partition("trajectories", "2019")).isPresent();
    assertThat(s.pinned()).containsOnlyKeys("forecasts", "trajectories", "metrics");
    assertThat(s.describe()).contains("run r1");

    // during the run, its render stage reads its own outputs
    Snapshot inRun = w.snapshot(Map.of("forecast.risk_forecasts", w.partition("forecasts", "2025").orElseThrow().location()),
        Instant.parse("2026-12-02T02:20:00Z"), "run r2 (in progress)");
    assertThat(inRun.latest("forecasts").orElseThrow().vintage()).isEqualTo("2025");
    assertThat(inRun.latest("metrics").orElseThrow().vintage()).isEqualTo("r1");
  }

  @Test
  void aPointerNamingAPartitionThatIsNotPublishedIsRefused() {
    Warehouse w = warehouse("pointer");
    Partition p = w.publish("forecasts", "2024", TestData.manifest("forecasts", "2024", "r1", "2026-12-01T02:10:00Z"), TestData.slice(FORECASTS, 0, 2));
    String gone = p.location().replace("vintage=2024", "vintage=2023");
    RunPointer pointer = new RunPointer("r1", "2026-12-01", "2026-12-01T02:30:00Z", "code", Map.of("a", p.location(), "b", gone));
    Snapshot snapshot = w.snapshot(pointer);
    assertThat(snapshot.partition("forecasts", "2024")).isPresent();
    assertThatThrownBy(() -> snapshot.latest("forecasts"))
        .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.DAMAGED))
        .hasMessageContaining("forecasts/vintage=2023").hasMessageContaining("run r1 names it");
    assertThatThrownBy(() -> snapshot.partitions("forecasts")).hasMessageContaining("forecasts/vintage=2023");
  }

  /** Whether replacing a small file is atomic for readers on this store (see ManifestLastHdfsTest). */
  boolean replaceIsAtomic() {
    return true;
  }

  @Test
  void stateFilesAreReplacedWholeWhileReadersRead() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(replaceIsAtomic());
    Storage s = storage("state");
    record Entry(String stage, List<Long> counts) {}
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> reads = pool.submit(() -> {
        int n = 0;
        while (n < 200) {
          var e = s.readJson("stages/ingest.json", Entry.class);
          if (e.isPresent()) {
            assertThat(e.get().counts()).hasSize(e.get().counts().get(0).intValue());
            n++;
          }
        }
        return n;
      });
      for (int i = 1; !reads.isDone() && i < 100_000; i++) {
        List<Long> counts = new ArrayList<>();
        for (int k = 0; k < 50 + i % 400; k++) {
          counts.add((long) 50 + i % 400);
        }
        s.writeJson("stages/ingest.json", new Entry("ingest", counts));
      }
      assertThat(reads.get(60, TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(s.list("stages")).containsExactly("ingest.json");
    assertThat(s.createNew("latest.lock", "a".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(s.createNew("latest.lock", "b".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(new String(s.read("latest.lock").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(s.readJson("missing.json", Entry.class)).isEmpty();
  }

  @Test
  void aSecondRunIsRefusedTheLockNamingTheHolder() throws Exception {
    Warehouse w = warehouse("lock");
    try (RunLock held = w.lock("nightly", "nightly run A")) {
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<?> second = other.submit(() -> w.lock("nightly", "nightly run B"));
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).cause()
            .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.LOCKED))
            .hasMessageContaining("another run")
            .hasMessageContaining("pid " + ProcessHandle.current().pid())
            .hasMessageContaining("nightly run A");
      } finally {
        other.shutdownNow();
      }
      assertThat(held.holder()).contains("nightly run A");
      try (RunLock stage = w.lock("forecast", "forecast")) {
        assertThat(stage.holder()).contains("forecast");
      }
    }
    try (RunLock again = w.lock("nightly", "nightly run C")) {
      assertThat(again.holder()).contains("nightly run C");
    }
  }

  @Test
  void aCompanionLeftByADeadRunIsDiscarded() {
    Warehouse w = warehouse("orphan");
    w.publish("ged_quarantine", "1", TestData.manifest("ged_quarantine", "1", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 2));
    w.discardOrphan("ged_quarantine", "1", "ged");
    assertThat(w.partition("ged_quarantine", "1")).isEmpty();
    assertThat(w.storage().exists("ged_quarantine/vintage=1")).isFalse();
    w.publish("ged", "1", TestData.manifest("ged", "1", "r2", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 2));
    assertThatThrownBy(() -> w.discardOrphan("ged_quarantine", "1", "ged")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void scratchIsClearedAndGoesWithTheRun() {
    Warehouse w = warehouse("scratch");
    String dir = w.scratch("r1", "ged-parsed");
    assertThat(dir).contains("_staging/r1/_work/ged-parsed");
    w.storage().write("_staging/r1/_work/ged-parsed/part-0", new byte[] {1});
    assertThat(w.scratch("r1", "ged-parsed")).isEqualTo(dir);
    assertThat(w.storage().exists("_staging/r1/_work/ged-parsed/part-0")).isFalse();
    w.discardStaging("r1");
    assertThat(w.storage().exists("_staging/r1")).isFalse();
  }
}
