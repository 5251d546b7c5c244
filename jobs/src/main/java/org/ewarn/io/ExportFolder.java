package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

/**
 * A folder of single-file extracts for notebooks ({@code <table>.parquet}, {@code <table>.csv}),
 * filled under a hidden staging name and renamed into place when complete, so a reader never sees
 * a half-written export.
 */
public final class ExportFolder {
  private final Path target;
  private final Path staging;

  private ExportFolder(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  public static ExportFolder create(Path root, String name) {
    Path target = root.toAbsolutePath().normalize().resolve(name);
    if (Files.exists(target)) {
      throw new StageFailure(ExitCode.USAGE_OR_CONFIG,
          "export " + target + " already exists and is never modified; export under a new run id");
    }
    Path staging = target.resolveSibling("." + name + ".staging");
    try {
      Warehouse.deleteTree(staging);
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + staging, e);
    }
    return new ExportFolder(target, staging);
  }

  /** Where files go until {@link #publish()}; notebooks rendered beside the export read it here. */
  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  /** One Parquet file and one CSV file (header, ISO dates, empty for null) of the rows in order. */
  public void writeTable(String table, Dataset<Row> rows) {
    Dataset<Row> one = rows.coalesce(1);
    moveSinglePart(table, ".parquet", dir -> one.write().mode(SaveMode.ErrorIfExists)
        .option("compression", "zstd").parquet(dir.toString()));
    moveSinglePart(table, ".csv", dir -> one.write().mode(SaveMode.ErrorIfExists)
        .option("header", "true").option("nullValue", "").option("emptyValue", "\"\"")
        .option("dateFormat", "yyyy-MM-dd").option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ssXXX")
        .csv(dir.toString()));
  }

  public void writeText(String fileName, String content) {
    try {
      Files.writeString(staging.resolve(fileName), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + staging.resolve(fileName), e);
    }
  }

  public Path publish() {
    try {
      Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish the export " + target, e);
    }
    return target;
  }

  /** Drops a staging folder left by a failure; the published exports are untouched. */
  public void abandon() {
    try {
      Warehouse.deleteTree(staging);
    } catch (IOException e) {
      // leftover staging is hidden and removed by the next export of the same run id
    }
  }

  private void moveSinglePart(String table, String extension, java.util.function.Consumer<Path> writer) {
    Path dir = staging.resolve("." + table + extension + ".parts");
    try {
      Warehouse.deleteTree(dir);
      writer.accept(dir);
      List<Path> parts;
      try (Stream<Path> list = Files.list(dir)) {
        parts = list.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      }
      if (parts.size() != 1) {
        throw new IllegalStateException("expected one part file in " + dir + ", found " + parts.size());
      }
      Files.move(parts.get(0), staging.resolve(table + extension));
      Warehouse.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + table + extension + " in " + staging, e);
    }
  }
}
