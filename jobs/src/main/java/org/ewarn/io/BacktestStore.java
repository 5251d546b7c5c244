package org.ewarn.io;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Where back-test results go: each table as {@code <outputDir>/<runId>/<name>.csv} and as a mart
 * {@code <dataset>/vintage=<runId>} in the warehouse.
 */
public final class BacktestStore {
  private final Warehouse warehouse;
  private final Path runDir;
  private final String runId;
  private final String codeVersion;
  private final String configHash;
  private final Instant started;
  private final List<Manifest.InputFile> inputs;

  /** {@code inputFiles}: files read outside the warehouse (e.g. a scored forecast file), checksummed. */
  public BacktestStore(Warehouse warehouse, Path outputDir, String runId, String codeVersion, String configHash,
      Instant started, List<Path> inputFiles) {
    this.inputs = inputFiles.stream().map(Checksums::describe).toList();
    this.warehouse = warehouse;
    this.runDir = outputDir.resolve(runId);
    this.runId = runId;
    this.codeVersion = codeVersion;
    this.configHash = configHash;
    this.started = started;
  }

  /** Writes the CSV and publishes the mart (without Spark: the tables are small); returns the CSV path. */
  public Path write(String dataset, String csvName, StructType schema, List<Row> rows,
      String stage, List<String> upstream, Map<String, String> properties) {
    Path csv = CsvTables.write(runDir.resolve(csvName), schema, rows);
    Manifest manifest = new Manifest(dataset, runId, stage, runId, inputs, upstream,
        Map.of("rows", (long) rows.size()), List.of(), codeVersion, configHash, started.toString(),
        Instant.now().toString(), properties);
    warehouse.publish(dataset, runId, manifest, dir -> SmallParquet.write(dir, schema, rows));
    return csv;
  }

  /** A CSV in the run folder only (diagnostics that are not a mart). */
  public Path writeCsv(String csvName, StructType schema, List<Row> rows) {
    return CsvTables.write(runDir.resolve(csvName), schema, rows);
  }

  public Path martDir(String dataset) {
    return warehouse.partitionDir(dataset, runId);
  }

  /** "dataset/vintage=label" of the latest published partition, for manifests' upstream lists. */
  public static String describe(Warehouse.Partition p) {
    return p.dataset() + "/vintage=" + p.vintage();
  }
}
