package org.ewarn.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.SmallParquet;
import org.ewarn.io.Warehouse;

/**
 * Published partitions of a few megabytes (the crosswalk tables) read into driver memory
 * (parquet-hadoop, no Spark job) as a local table: Spark evaluates its filters and projections in
 * the optimiser and broadcasts it without a job, where reading the files is a one-task stage per
 * use. The rows and the schema are those Spark reads from the files (every column nullable).
 * Not for the panel's inputs: a local table is copied into every plan and task that uses it, and
 * the panel's (tens of thousands of rows, used in dozens of stages) ran the 1280 MB heap out.
 */
final class SmallTables {
  /** Partitions up to this size on disk are read into memory; larger ones through Spark. */
  static final long MAX_BYTES = 16L << 20;

  private SmallTables() {}

  static Dataset<Row> read(SparkSession spark, Warehouse warehouse, Warehouse.Partition partition) {
    if (bytes(partition.dir()) > MAX_BYTES) {
      return warehouse.read(spark, partition);
    }
    List<Row> rows = SmallParquet.read(partition.dir());
    return rows.isEmpty() ? warehouse.read(spark, partition)
        : spark.createDataFrame(rows, Publication.nullable(rows.get(0).schema()));
  }

  private static long bytes(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
