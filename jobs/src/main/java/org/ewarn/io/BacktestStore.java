package org.ewarn.io;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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

  public BacktestStore(Warehouse warehouse, Path outputDir, String runId, String codeVersion, String configHash,
      Instant started) {
    this.warehouse = warehouse;
    this.runDir = outputDir.resolve(runId);
    this.runId = runId;
    this.codeVersion = codeVersion;
    this.configHash = configHash;
    this.started = started;
  }

  /** Writes the CSV and publishes the mart; returns the CSV path. */
  public Path write(SparkSession spark, String dataset, String csvName, StructType schema, List<Row> rows,
      String stage, List<String> upstream, Map<String, String> properties) {
    Path csv = CsvTables.write(runDir.resolve(csvName), schema, rows);
    Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
    Manifest manifest = new Manifest(dataset, runId, stage, runId, List.of(), upstream,
        Map.of("rows", (long) rows.size()), List.of(), codeVersion, configHash, started.toString(),
        Instant.now().toString(), properties);
    warehouse.publish(dataset, runId, frame, manifest);
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
