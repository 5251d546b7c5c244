package org.ewarn.ingest;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;

/**
 * Published partitions of a few thousand rows (the crosswalk tables) read into driver memory
 * (the module's small reader, no Spark job) as a local table: Spark evaluates its filters and
 * projections in the optimiser and broadcasts it without a job, where reading the files is a
 * one-task stage per use. The rows and the schema are those Spark reads from the files (every
 * column nullable). Not for the panel's inputs: a local table is copied into every plan and task
 * that uses it, and the panel's (tens of thousands of rows, used in dozens of stages) ran the
 * 1280 MB heap out.
 */
final class SmallTables {
  /**
   * Partitions of up to this many rows (by their footers) are read into memory; larger ones
   * through Spark. The crosswalk tables have a few hundred.
   */
  static final long MAX_ROWS = 100_000;

  private SmallTables() {}

  static Dataset<Row> read(SparkSession spark, Partition partition) {
    if (partition.verify() > MAX_ROWS) {
      return SparkMarts.read(spark, partition);
    }
    List<Row> rows = SparkMarts.rows(partition.read());
    return rows.isEmpty() ? SparkMarts.read(spark, partition)
        : spark.createDataFrame(rows, Publication.nullable(rows.get(0).schema()));
  }
}
