package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where the panel and forecast stages put what they produce: marts in the warehouse (with
 * manifests), trained models under the models folder, the forecast CSV under {@code output.root}.
 */
public final class RiskMarts {
  private final Warehouse warehouse;
  private final Path modelsRoot;
  private final Path outputRoot;

  public RiskMarts(Warehouse warehouse, Path modelsRoot, Path outputRoot) {
    this.warehouse = warehouse;
    this.modelsRoot = modelsRoot.toAbsolutePath().normalize();
    this.outputRoot = outputRoot.toAbsolutePath().normalize();
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /** What every mart of one run records in its manifest. */
  public record RunInfo(String stage, String runId, String codeVersion, String configHash, Instant started,
      List<String> upstream) {
    public RunInfo {
      upstream = List.copyOf(upstream);
    }
  }

  public Warehouse.Partition publish(String dataset, String vintage, Dataset<Row> rows, RunInfo run,
      Map<String, Long> counts, Map<String, String> properties) {
    Manifest manifest = new Manifest(dataset, vintage, run.stage(), run.runId(), List.of(), run.upstream(), counts,
        List.of(), run.codeVersion(), run.configHash(), run.started().toString(), Instant.now().toString(),
        properties);
    return warehouse.publish(dataset, vintage, rows, manifest);
  }

  /** {@code <models>/edition=<edition>/<model>-h<horizon>/}: one trained model and its metadata. */
  public Path modelDir(String edition, String modelId, int horizon) {
    return modelsRoot.resolve("edition=" + edition).resolve(modelId + "-h" + horizon);
  }

  /**
   * Writes {@code rows} (already in the wanted order) as {@code <output>/<dir>/<name>} with the
   * given header; written beside and renamed so a reader never sees half a file.
   */
  public Path writeCsv(String dir, String name, List<String> header, List<Row> rows) {
    Path file = outputRoot.resolve(dir).resolve(name);
    Path tmp = file.resolveSibling("." + name + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
              .setRecordSeparator('\n').get())) {
        for (Row r : rows) {
          Object[] values = new Object[header.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = r.getAs(header.get(i));
          }
          csv.printRecord(values);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
