package org.ewarn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder the pipeline cannot write into (here a path through a regular file, which fails for
 * root too; a full disk takes the same path, checked by hand on a 2 MB tmpfs, see
 * jobs/OPERATIONS.md "Faults and bad input"): the command ends with exit 1, one "cannot write"
 * message and the JSON line, and what was published before is unchanged, byte for byte, with
 * nothing half-written beside it.
 */
class UnwritableOutputTest extends SparkTest {
  @TempDir Path tmp;

  @Test
  void ingestIntoAWarehouseWhoseStagingCannotBeWrittenPublishesNothing() throws IOException {
    Path warehouse = tmp.resolve("warehouse");
    assertThat(run("ingest", "--source", "coups", "--set", "warehouse.root=\"" + warehouse + "\"").code).isZero();
    Map<String, String> before = files(warehouse);
    assertThat(before.keySet()).anyMatch(f -> f.startsWith("coups/vintage="));

    // Runs stage their partitions under _staging/<run>/ before the rename that publishes them.
    deleteTree(warehouse.resolve("_staging"));
    Files.writeString(warehouse.resolve("_staging"), "not a folder");
    Outcome failed = run("ingest", "--source", "epr", "--set", "warehouse.root=\"" + warehouse + "\"");

    assertFailedToWrite(failed);
    Map<String, String> after = files(warehouse);
    assertThat(after).as("published partitions and their manifests").isEqualTo(before);
    assertThat(after.keySet()).noneMatch(f -> f.startsWith("epr"));
  }

  @Test
  void exportIntoAFolderThatCannotBeCreatedLeavesTheMartsAlone() throws IOException {
    Path warehouse = tmp.resolve("warehouse");
    // marts shaped as the stages publish them, from EWP's real out-of-sample forecasts
    org.ewarn.export.BundledMarts.publish(spark(), org.ewarn.warehouse.Warehouse.open(warehouse.toString()),
        org.ewarn.export.BundledMarts.FORECASTS, "2023", "marts-run");
    Map<String, String> before = files(warehouse);
    Path blocked = Files.writeString(tmp.resolve("a-file"), "not a folder");

    Outcome failed = run("export", "--set", "warehouse.root=\"" + warehouse + "\"",
        "--set", "export.root=\"" + blocked.resolve("notebooks-exports") + "\"", "--set", "export.notebooks.render=false");

    assertFailedToWrite(failed);
    assertThat(Files.readString(blocked)).isEqualTo("not a folder");
    assertThat(files(warehouse)).isEqualTo(before);
  }

  private static void assertFailedToWrite(Outcome o) {
    assertThat(o.code).as(o.summary.toString()).isEqualTo(1);
    assertThat(o.summary.get("status").asText()).isEqualTo("failed");
    assertThat(o.summary.get("message").asText()).startsWith("cannot write: ").containsIgnoringCase("not a directory")
        .contains("nothing half-written was published");
    assertThat(o.summary.get("outputs").isEmpty()).isTrue();
  }

  private record Outcome(int code, JsonNode summary) {}

  private static Outcome run(String... args) throws IOException {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Ewarn.run(args);
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    return new Outcome(code, new ObjectMapper().readTree(lines[lines.length - 1]));
  }

  /**
   * Every published file under root (relative path to its SHA-256), folders as "dir"; not the
   * run's own bookkeeping (_staging, _locks).
   */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(p -> !p.equals(root) && !root.relativize(p).toString().startsWith("_")).toList()) {
        String rel = root.relativize(p).toString();
        out.put(rel, Files.isDirectory(p) ? "dir" : org.ewarn.warehouse.Checksums.sha256(p));
      }
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> paths = new ArrayList<>(all.toList());
      java.util.Collections.reverse(paths);
      for (Path p : paths) {
        Files.delete(p);
      }
    }
  }
}
