package org.ewarn.io;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.warehouse.Manifest;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.SparkSessions;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * Where the panel and forecast stages put what they produce: marts in the warehouse (with
 * manifests), trained models under the models folder, the forecast CSV under {@code output.root};
 * each a local path or a URI of any Hadoop file system.
 */
public final class RiskMarts {
  private final Warehouse warehouse;
  private final Storage models;
  private final Storage outputs;
  private final Configuration conf;

  /** Locations are local paths or URIs; {@code conf} is the session's (Spark's) Hadoop configuration. */
  public RiskMarts(Warehouse warehouse, String modelsRoot, String outputRoot, Configuration conf) {
    this.warehouse = warehouse;
    this.models = Storage.open(modelsRoot, conf);
    this.outputs = Storage.open(outputRoot, conf);
    this.conf = conf;
  }

  /** The stores of one run's panel or forecast, opened with its session's Hadoop configuration. */
  public static RiskMarts open(SparkSession spark, String warehouseRoot, String modelsRoot,
      String outputRoot) {
    return new RiskMarts(SparkMarts.open(spark, warehouseRoot), modelsRoot, outputRoot,
        spark.sparkContext().hadoopConfiguration());
  }

  /** A stage's work on its session and marts; see {@link #underLock}. */
  public interface StageWork<T> {
    T run(SparkSession spark, RiskMarts marts);
  }

  /**
   * Runs {@code work} of {@code stage} (panel or forecast) under the warehouse's run lock, on the
   * run's Spark session and the marts opened with it: one place decides that the lock comes first,
   * so no stage starts Spark before it knows it may publish.
   */
  public static <T> T underLock(String stage, String warehouseRoot, String modelsRoot, String outputRoot,
      SparkProfile profile, StageWork<T> work) {
    try (RunLock lock = Warehouse.open(warehouseRoot).lock(stage, "ewarn " + stage)) {
      SparkSession spark = SparkSessions.start(profile, "ewarn " + stage);
      return work.run(spark, open(spark, warehouseRoot, modelsRoot, outputRoot));
    }
  }

  /** Local folders (tests). */
  public RiskMarts(Warehouse warehouse, Path modelsRoot, Path outputRoot) {
    this(warehouse, modelsRoot.toString(), outputRoot.toString(), new Configuration());
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

  public Partition publish(String dataset, String vintage, Dataset<Row> rows, RunInfo run,
      Map<String, Long> counts, Map<String, String> properties) {
    Manifest manifest = new Manifest(dataset, vintage, run.stage(), run.runId(), List.of(), run.upstream(), counts,
        List.of(), run.codeVersion(), run.configHash(), run.started().toString(), Instant.now().toString(),
        properties);
    return SparkMarts.publish(warehouse, dataset, vintage, rows, manifest);
  }

  /**
   * Saves one trained model and its metadata as {@code <models>/edition=<edition>/<model>-h<horizon>/};
   * {@code save} writes into the local folder it is given. On a remote store the folder is written
   * locally first and copied up (models are a few MB; the model writers know local files only).
   */
  public String saveModel(String edition, String modelId, int horizon, Consumer<Path> save) {
    String relative = "edition=" + edition + "/" + modelId + "-h" + horizon;
    String location = models.location(relative);
    if ("file".equals(models.root().getScheme())) {
      save.accept(Path.of(location));
      return location;
    }
    Path local = null;
    try {
      local = Files.createTempDirectory("ewarn-model-");
      Path dir = local.resolve("model");
      save.accept(dir);
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(location);
      org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(conf);
      fs.delete(target, true);
      fs.mkdirs(target.getParent());
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.toUri()), target);
      return location;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model " + location, e);
    } finally {
      if (local != null) {
        org.apache.hadoop.fs.FileUtil.fullyDelete(local.toFile());
      }
    }
  }

  /**
   * Writes {@code rows} (already in the wanted order) as {@code <output>/<dir>/<name>} with the
   * given header, replaced whole so a reader never sees half a file; returns its location.
   */
  public String writeCsv(String dir, String name, List<String> header, List<Row> rows) {
    String relative = dir + "/" + name;
    StringWriter text = new StringWriter();
    try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder()
        .setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get())) {
      for (Row r : rows) {
        Object[] values = new Object[header.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.getAs(header.get(i));
        }
        csv.printRecord(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outputs.location(relative), e);
    }
    outputs.replace(relative, text.toString().getBytes(StandardCharsets.UTF_8));
    return outputs.location(relative);
  }
}
