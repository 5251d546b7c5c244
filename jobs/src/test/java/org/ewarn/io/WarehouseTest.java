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
  void aFolderWithoutDataOrManifestDoesNotExistForReadersAndIsReplacedWhole() throws Exception {
    Warehouse w = new Warehouse(root);
    Path interrupted = w.partitionDir("events", "1");
    Files.createDirectories(interrupted);
    Files.writeString(interrupted.resolve("part-0.data"), "half written");
    assertThat(w.published("events", "1")).isEmpty();
    assertThat(w.partitions("events")).isEmpty();

    w.publish("events", "1", manifest("events", "1", "r1"), dir -> write(dir, "complete"));
    assertThat(w.published("events", "1")).isPresent();
    assertThat(Files.readString(interrupted.resolve("part-0.data"))).isEqualTo("complete");
    assertThat(root.resolve("_staging/r1/events")).doesNotExist();
  }

  private static final org.apache.spark.sql.types.StructType SCHEMA = new org.apache.spark.sql.types.StructType()
      .add("ccode", org.apache.spark.sql.types.DataTypes.IntegerType).add("risk", org.apache.spark.sql.types.DataTypes.DoubleType);

  private Warehouse withRealParquet() {
    Warehouse w = new Warehouse(root);
    w.publish("risk_forecasts", "2024", manifest("risk_forecasts", "2024", "r1"), dir -> SmallParquet.write(dir, SCHEMA,
        List.of(org.apache.spark.sql.RowFactory.create(2, 0.01), org.apache.spark.sql.RowFactory.create(625, 0.2))));
    assertThat(SmallParquet.read(w.published("risk_forecasts", "2024").orElseThrow().dir())).hasSize(2);
    return w;
  }

  private static Path onlyParquet(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  private void assertDamaged(Warehouse w, String... mentions) {
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable read : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
        () -> w.published("risk_forecasts", "2024"), () -> w.latest("risk_forecasts"), () -> w.require("risk_forecasts"))) {
      assertThatThrownBy(read).isInstanceOfSatisfying(StageFailure.class, e -> {
        assertThat(e.exitCode()).isEqualTo(org.ewarn.run.ExitCode.FAILURE);
        assertThat(e.getMessage()).contains("risk_forecasts/vintage=2024", "damaged", "refused rather than read as empty")
            .contains(mentions);
      });
    }
  }

  @Test
  void aTruncatedParquetFileIsRefusedNamingDatasetAndPartition() throws Exception {
    Warehouse w = withRealParquet();
    Path file = onlyParquet(w.partitionDir("risk_forecasts", "2024"));
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertDamaged(w, file.getFileName().toString(), "truncated");
  }

  @Test
  void aParquetFileOverwrittenWithOtherBytesIsRefused() throws Exception {
    Warehouse w = withRealParquet();
    Path file = onlyParquet(w.partitionDir("risk_forecasts", "2024"));
    byte[] whole = Files.readAllBytes(file);
    java.util.Arrays.fill(whole, 0, 4, (byte) 0);
    Files.write(file, whole);
    assertDamaged(w, "PAR1");
  }

  @Test
  void dataWithoutManifestIsRefusedNotSkipped() throws Exception {
    Warehouse w = withRealParquet();
    Files.delete(w.partitionDir("risk_forecasts", "2024").resolve(Warehouse.MANIFEST));
    assertDamaged(w, "no _MANIFEST.json");
  }

  @Test
  void anUnreadableManifestIsRefused() throws Exception {
    Warehouse w = withRealParquet();
    Files.writeString(w.partitionDir("risk_forecasts", "2024").resolve(Warehouse.MANIFEST), "{\"dataset\": \"risk_");
    assertDamaged(w, "unreadable");
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
      Files.writeString(dir.resolve("part-0.data"), content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
