package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.export.BundledMarts;
import org.ewarn.io.RunLock;
import org.ewarn.io.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ewarn nightly} as a scheduler starts it: a separate JVM on the packaged jar (so it runs in
 * verify, after package). A second run while one holds the lock exits 4 naming the holder; a run
 * killed with SIGKILL during a stage, then re-run, publishes what an uninterrupted run publishes.
 */
@org.junit.jupiter.api.Tag("slow")
class NightlyProcessIT extends SparkTest {
  private static final Path TARGET = HOME.resolve("jobs/target");

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopProcesses() {
    started.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  @Test
  void aSecondRunExitsFourAtOnceNamingTheHolder() throws Exception {
    Path root = tmp.resolve("locked");
    try (RunLock held = RunLock.acquire(root.resolve("warehouse"), "nightly", "nightly run by the lock test")) {
      Process p = nightly(root, "second");
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a locked run does not wait for the lock").isTrue();
      assertThat(p.exitValue()).isEqualTo(4);
      String summary = lastLine(root.resolve("second.out"));
      assertThat(summary).contains("\"status\":\"locked\"")
          .contains("pid " + ProcessHandle.current().pid()).contains("nightly run by the lock test");
      assertThat(Files.readString(root.resolve("second.err"))).contains("another run holds the lock");
    }
  }

  @Test
  void aRunKilledDuringAStageIsCompletedByTheNextRun() throws Exception {
    Path killed = tmp.resolve("killed");
    Path straight = tmp.resolve("straight");
    for (Path root : List.of(killed, straight)) {
      BundledMarts.publish(spark(), new Warehouse(root.resolve("warehouse")), BundledMarts.FORECASTS, "2023", "seed");
    }

    Process first = nightly(killed, "first");
    awaitText(killed.resolve("first.err"), "ingest: running", first);
    // Kill ingest half-way: some of its datasets are published, others not yet.
    awaitPublished(killed.resolve("warehouse"), first);
    first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
    first.waitFor(60, TimeUnit.SECONDS);
    assertThat(LatestPointer.read(killed.resolve("out"))).isEmpty();
    assertThat(Files.readString(killed.resolve("first.err"))).doesNotContain("ingest: done");

    Process again = nightly(killed, "again");
    assertThat(again.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(again.exitValue()).as(Files.readString(killed.resolve("again.err"))).isZero();
    Process clean = nightly(straight, "clean");
    assertThat(clean.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(clean.exitValue()).as(Files.readString(straight.resolve("clean.err"))).isZero();

    assertThat(Files.readString(killed.resolve("again.err"))).contains("ingest: running");
    Warehouse resumedWarehouse = new Warehouse(killed.resolve("warehouse"));
    Warehouse cleanWarehouse = new Warehouse(straight.resolve("warehouse"));
    List<String> datasets = datasets(straight.resolve("warehouse"));
    assertThat(datasets(killed.resolve("warehouse"))).isEqualTo(datasets);
    assertThat(datasets).contains("ged_events", "countries");
    // Every partition's rows of every dataset, without the vintage label: ingest labels by source
    // vintage, the back-test by run id, which differ between the two warehouses. Not the latest
    // partition alone: sources ingest in parallel, so which of two vintages of a dataset (the
    // two GED extracts) finishes last varies from run to run.
    for (String dataset : datasets) {
      assertDataFrameEquals(everyPartition(cleanWarehouse, dataset), everyPartition(resumedWarehouse, dataset));
    }
    Path resumedExport = Path.of(LatestPointer.read(killed.resolve("out")).orElseThrow()
        .outputs().get("export.notebooks_export"));
    Path cleanExport = Path.of(LatestPointer.read(straight.resolve("out")).orElseThrow()
        .outputs().get("export.notebooks_export"));
    for (String mart : BundledMarts.MARTS) {
      assertThat(Files.readAllBytes(resumedExport.resolve(mart + ".csv")))
          .as(mart).isEqualTo(Files.readAllBytes(cleanExport.resolve(mart + ".csv")));
    }
    try (Stream<Path> exports = Files.list(killed.resolve("out/notebooks-exports"))) {
      assertThat(exports.filter(p -> !p.getFileName().toString().startsWith(".")).toList())
          .containsExactly(resumedExport);
    }
  }

  private Process nightly(Path root, String name) throws IOException {
    Files.createDirectories(root);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(Arrays.asList(Files.readString(TARGET.resolve("launcher/jvm-options")).trim().split("\\s+")));
    cmd.addAll(List.of("-Dewarn.home=" + HOME, "-cp", jobsJar() + ":" + TARGET.resolve("lib") + "/*",
        "org.ewarn.cli.Ewarn", "nightly", "--run-date", "2026-11-26",
        "--set", "warehouse.root=" + root.resolve("warehouse"), "--set", "output.root=" + root.resolve("out"),
        "--set", "export.notebooks.render=false", "--set", "nightly.stages=[ingest,backtest,export]",
        "--set", "backtest.models=[elastic_net, baseline_history]"));
    Process p = new ProcessBuilder(cmd).redirectOutput(root.resolve(name + ".out").toFile())
        .redirectError(root.resolve(name + ".err").toFile()).start();
    started.add(p);
    return p;
  }

  private static Path jobsJar() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("ewarn-jobs-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-thin.jar")).findFirst().orElseThrow();
    }
  }

  private static void awaitText(Path file, String text, Process p) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("the run ended before '" + text + "': " + Files.readString(file));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("'" + text + "' not in " + file);
  }

  /** Waits until the run has published a dataset beyond the seeded marts. */
  private static void awaitPublished(Path warehouse, Process p) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError("the run ended before publishing anything");
      }
      if (datasets(warehouse).stream().anyMatch(d -> !BundledMarts.MARTS.contains(d)
          && !new Warehouse(warehouse).partitions(d).isEmpty())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing published in " + warehouse);
  }

  private static List<String> datasets(Path warehouse) throws IOException {
    if (!Files.isDirectory(warehouse)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(warehouse)) {
      return dirs.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList();
    }
  }

  private static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> sorted(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    return rows.orderBy(Arrays.stream(rows.columns())
        .map(c -> org.apache.spark.sql.functions.col("`" + c + "`")).toArray(org.apache.spark.sql.Column[]::new));
  }

  private static String lastLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** All partitions' rows, columns in name order (vintages may differ in column order), sorted. */
  private Dataset<Row> everyPartition(Warehouse warehouse, String dataset) {
    Dataset<Row> all = warehouse.readAllVintages(spark(), dataset).drop("vintage");
    String[] names = Arrays.stream(all.columns()).sorted().toArray(String[]::new);
    return sorted(all.select(Arrays.stream(names).map(c -> org.apache.spark.sql.functions.col("`" + c + "`"))
        .toArray(org.apache.spark.sql.Column[]::new)));
  }
}
