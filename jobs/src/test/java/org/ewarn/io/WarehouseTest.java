package org.ewarn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic publishing: a partition exists for readers only with its manifest, and never changes. */
class WarehouseTest {
  @TempDir Path root;

  private static Manifest manifest(String dataset, String vintage, String run) {
    return new Manifest(dataset, vintage, "test", run, List.of(), List.of(), Map.of("rows", 1L), List.of(),
        "abc", "hash", "2026-11-26T00:00:00Z", "2026-11-26T00:00:0" + run.length() + "Z", Map.of());
  }

  @Test
  void aFolderWithoutManifestDoesNotExistForReaders() throws Exception {
    Warehouse w = new Warehouse(root);
    Path interrupted = w.partitionDir("events", "1");
    Files.createDirectories(interrupted);
    Files.writeString(interrupted.resolve("part-0.parquet"), "half written");
    assertThat(w.published("events", "1")).isEmpty();
    assertThat(w.partitions("events")).isEmpty();

    // the interrupted attempt is replaced whole by the next publish
    w.publish("events", "1", manifest("events", "1", "r1"), dir -> write(dir, "complete"));
    assertThat(w.published("events", "1")).isPresent();
    assertThat(Files.readString(interrupted.resolve("part-0.parquet"))).isEqualTo("complete");
    assertThat(root.resolve("_staging/r1/events")).doesNotExist();
  }

  @Test
  void aPublishedPartitionIsNeverReplaced() {
    Warehouse w = new Warehouse(root);
    w.publish("events", "1", manifest("events", "1", "r1"), dir -> write(dir, "first"));
    assertThatThrownBy(() -> w.publish("events", "1", manifest("events", "1", "r2"), dir -> write(dir, "second")))
        .isInstanceOf(StageFailure.class)
        .hasMessageContaining("already published");
    assertThat(w.published("events", "1").orElseThrow().manifest().runId()).isEqualTo("r1");
  }

  @Test
  void aWriterThatFailsLeavesNothingVisible() {
    Warehouse w = new Warehouse(root);
    assertThatThrownBy(() -> w.publish("events", "2", manifest("events", "2", "r3"), dir -> {
      write(dir, "partial");
      throw new IllegalStateException("disk full");
    })).hasMessageContaining("disk full");
    assertThat(w.published("events", "2")).isEmpty();
    assertThat(w.partitionDir("events", "2")).doesNotExist();
  }

  @Test
  void latestIsTheLastFinished() {
    Warehouse w = new Warehouse(root);
    w.publish("events", "b", manifest("events", "b", "r"), dir -> write(dir, "x"));
    w.publish("events", "a", manifest("events", "a", "rr"), dir -> write(dir, "y"));
    assertThat(w.latest("events").orElseThrow().vintage()).isEqualTo("a");
    assertThat(w.partitions("events")).extracting(Warehouse.Partition::vintage).containsExactly("b", "a");
  }

  private static void write(Path dir, String content) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("part-0.parquet"), content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
