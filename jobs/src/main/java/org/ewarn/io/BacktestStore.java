package org.ewarn.io;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * Where back-test results go: each table as {@code <outputDir>/<runId>/<name>.csv} and as a mart
 * {@code <dataset>/vintage=<runId>} in the warehouse; both locations may be on any Hadoop store.
 */
public final class BacktestStore {
  private final Warehouse warehouse;
  private final Storage runDir;
  private final String runId;
  private final String codeVersion;
  private final String configHash;
  private final Instant started;
  private final List<Manifest.InputFile> inputs;

  /**
   * {@code outputDir}: a local path or a URI; {@code inputFiles}: local files read outside the
   * warehouse (e.g. a scored forecast file), checksummed.
   */
  public BacktestStore(Warehouse warehouse, String outputDir, String runId, String codeVersion, String configHash,
      Instant started, List<Path> inputFiles) {
    this.inputs = inputFiles.stream().map(Checksums::describe).toList();
    this.warehouse = warehouse;
    this.runDir = Storage.open(outputDir, warehouse.storage().configuration()).at(runId);
    this.runId = runId;
    this.codeVersion = codeVersion;
    this.configHash = configHash;
    this.started = started;
  }

  /** Writes the CSV and publishes the mart (without Spark: the tables are small); returns the CSV's location. */
  public String write(String dataset, String csvName, StructType schema, List<Row> rows,
      String stage, List<String> upstream, Map<String, String> properties) {
    String csv = writeCsv(csvName, schema, rows);
    Manifest manifest = new Manifest(dataset, runId, stage, runId, inputs, upstream,
        Map.of("rows", (long) rows.size()), List.of(), codeVersion, configHash, started.toString(),
        Instant.now().toString(), properties);
    warehouse.publish(dataset, runId, manifest, SparkMarts.table(schema, rows));
    return csv;
  }

  /** A CSV in the run folder only (diagnostics that are not a mart); returns its location. */
  public String writeCsv(String csvName, StructType schema, List<Row> rows) {
    runDir.replace(csvName, CsvTables.bytes(schema, rows));
    return runDir.location(csvName);
  }

  /** The published mart of this run. */
  public String martDir(String dataset) {
    return warehouse.partition(dataset, runId).map(Partition::location).orElseThrow();
  }

  /** "dataset/vintage=label" of a published partition, for manifests' upstream lists. */
  public static String describe(Partition p) {
    return p.id();
  }
}
