package org.ewarn.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.Storage;

/**
 * A folder of single-file extracts for notebooks ({@code <table>.parquet}, {@code <table>.csv}),
 * filled under a hidden staging name and moved into place when complete, so a reader never sees
 * a half-written export: atomically on local disk and HDFS; on object stores by a copy, which
 * {@code latest.json}, written after it, guards.
 */
public final class ExportFolder {
  private final Storage root;
  private final String target;
  private final String staging;

  private ExportFolder(Storage root, String target, String staging) {
    this.root = root;
    this.target = target;
    this.staging = staging;
  }

  /** {@code root}: a local path or a URI. */
  public static ExportFolder create(String root, String name, Configuration conf) {
    Storage storage = Storage.open(root, conf);
    if (storage.exists(name)) {
      throw new StageFailure(ExitCode.USAGE_OR_CONFIG,
          "export " + storage.location(name) + " already exists and is never modified; export under a new run id");
    }
    String staging = "." + name + ".staging";
    storage.deleteTree(staging);
    return new ExportFolder(storage, name, staging);
  }

  /** Where files go until {@link #publish()}: a plain path on local disk, else a URI. */
  public String staging() {
    return root.location(staging);
  }

  /** The staging folder as a local folder, for notebooks rendered beside the export; empty on a remote store. */
  public Optional<Path> localStaging() {
    return "file".equals(root.root().getScheme()) ? Optional.of(Path.of(staging())) : Optional.empty();
  }

  public String target() {
    return root.location(target);
  }

  /** One Parquet file and one CSV file (header, ISO dates, empty for null) of the rows in order. */
  public void writeTable(String table, Dataset<Row> rows) {
    Dataset<Row> one = rows.coalesce(1);
    moveSinglePart(table, ".parquet", dir -> one.write().mode(SaveMode.ErrorIfExists)
        .option("compression", "zstd").parquet(dir));
    moveSinglePart(table, ".csv", dir -> one.write().mode(SaveMode.ErrorIfExists)
        .option("header", "true").option("nullValue", "").option("emptyValue", "\"\"")
        .option("dateFormat", "yyyy-MM-dd").option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ssXXX")
        .csv(dir));
  }

  public void writeText(String fileName, String content) {
    root.write(staging + "/" + fileName, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Moves the export into place; returns its location. */
  public String publish() {
    if (!root.moveFolder(staging, target)) {
      throw new StageFailure(ExitCode.FAILURE, "cannot publish the export " + target()
          + ": another run published it meanwhile");
    }
    return target();
  }

  /** Drops a staging folder left by a failure; the published exports are untouched. */
  public void abandon() {
    try {
      root.deleteTree(staging);
    } catch (RuntimeException e) {
      // leftover staging is hidden and removed by the next export of the same run id
    }
  }

  private void moveSinglePart(String table, String extension, java.util.function.Consumer<String> writer) {
    String dir = staging + "/." + table + extension + ".parts";
    root.deleteTree(dir);
    writer.accept(root.location(dir));
    List<String> parts = root.list(dir).stream().filter(n -> n.startsWith("part-")).toList();
    if (parts.size() != 1) {
      throw new IllegalStateException("expected one part file in " + root.location(dir) + ", found " + parts.size());
    }
    if (!root.moveFolder(dir + "/" + parts.get(0), staging + "/" + table + extension)) {
      throw new IllegalStateException("cannot move " + parts.get(0) + " to " + table + extension + " in " + staging());
    }
    root.deleteTree(dir);
  }
}
