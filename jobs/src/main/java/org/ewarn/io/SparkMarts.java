package org.ewarn.io;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ewarn.warehouse.Column;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Staged;
import org.ewarn.warehouse.Table;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.warehouse.WarehouseView;

/**
 * The Spark side of the warehouse module: Spark reads and writes the part files itself (on any
 * Hadoop file system), the module stages, publishes and knows the layout. Locations are plain paths
 * on local disk and URIs elsewhere; Spark takes both.
 *
 * <p>A stage that writes in several steps (ingest) uses {@code warehouse.stage(...)} once,
 * {@link #stage} for each rewrite of what is staged, {@link #materialise} for scratch data,
 * {@code staged.publish(manifest)} at the end and {@code warehouse.discardOrphan} /
 * {@code discardStaging} to clean up.
 */
public final class SparkMarts {
  private SparkMarts() {}

  /** The warehouse at a location, through the session's Hadoop configuration ({@code spark.hadoop.*}). */
  public static Warehouse open(SparkSession spark, String root) {
    return Warehouse.open(root, spark.sparkContext().hadoopConfiguration());
  }

  /** The partition's rows; a truncated data file is refused here, naming the partition, not in a task. */
  public static Dataset<Row> read(SparkSession spark, Partition partition) {
    partition.verify();
    return spark.read().parquet(partition.location());
  }

  /** Every published vintage of a dataset, each row tagged with its vintage label. */
  public static Dataset<Row> readAllVintages(SparkSession spark, WarehouseView warehouse, String dataset) {
    Dataset<Row> all = null;
    for (Partition p : warehouse.partitions(dataset)) {
      Dataset<Row> one = read(spark, p).withColumn("vintage", functions.lit(p.vintage()));
      all = all == null ? one : all.unionByName(one, true);
    }
    if (all == null) {
      warehouse.require(dataset);
    }
    return all;
  }

  /**
   * Publishes {@code rows} as one partition, whole. Refused if it is published: vintages are
   * immutable, so new data needs a new vintage label.
   */
  public static Partition publish(Warehouse warehouse, String dataset, String vintage, Dataset<Row> rows,
      Manifest manifest) {
    Staged staged = warehouse.stage(manifest.runId(), dataset, vintage);
    try {
      write(rows, staged.location());
      return staged.publish(manifest);
    } catch (RuntimeException e) {
      staged.abandon();
      throw e;
    }
  }

  /**
   * Writes {@code rows} as what is staged (replacing what was) and reads them back, for a writer
   * that needs counts of what it wrote before its manifest; {@code rows} may be computed from what
   * is staged now. Nothing is visible until {@code staged.publish(manifest)}.
   */
  public static Dataset<Row> stage(SparkSession spark, Staged staged, Dataset<Row> rows) {
    staged.replace(next -> write(rows, next));
    return spark.read().parquet(staged.location());
  }

  /**
   * Writes {@code rows} once to the run's scratch area and reads them back, so a costly pipeline
   * (parsing millions of CSV records) runs once however many outputs and counts are taken from it.
   */
  public static Dataset<Row> materialise(SparkSession spark, Warehouse warehouse, String runId, String name,
      Dataset<Row> rows) {
    String dir = warehouse.scratch(runId, name);
    // read back once or twice and then deleted: fast beats small (no dictionaries, lz4)
    rows.write().option("compression", "lz4").option("parquet.enable.dictionary", "false").parquet(dir);
    return spark.read().parquet(dir);
  }

  private static void write(Dataset<Row> rows, String location) {
    rows.write().mode(SaveMode.ErrorIfExists).option("compression", "zstd").parquet(location);
  }

  // ---- small tables (read and written without Spark) as Spark rows ----

  /** The table's rows as Spark rows with its schema (dates as {@code java.sql.Date}, as Spark has them). */
  public static List<Row> rows(Table table) {
    StructType schema = schema(table.columns());
    List<Row> out = new ArrayList<>(table.size());
    for (List<Object> row : table.rows()) {
      Object[] values = row.toArray();
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof LocalDate d) {
          values[i] = java.sql.Date.valueOf(d);
        }
      }
      out.add(new GenericRowWithSchema(values, schema));
    }
    return out;
  }

  /** Spark rows as a small table for {@code Warehouse.publish(d, v, manifest, table)}. */
  public static Table table(StructType schema, List<Row> rows) {
    List<Column> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      columns.add(new Column(f.name(), type(f), f.nullable()));
    }
    List<List<Object>> values = new ArrayList<>(rows.size());
    for (Row r : rows) {
      List<Object> row = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        Object v = r.isNullAt(i) ? null : r.get(i);
        row.add(v instanceof java.sql.Date d ? d.toLocalDate() : v);
      }
      values.add(row);
    }
    return new Table(columns, values);
  }

  static StructType schema(List<Column> columns) {
    StructType schema = new StructType();
    for (Column c : columns) {
      DataType t = switch (c.type()) {
        case STRING -> DataTypes.StringType;
        case INT -> DataTypes.IntegerType;
        case LONG -> DataTypes.LongType;
        case DOUBLE -> DataTypes.DoubleType;
        case BOOLEAN -> DataTypes.BooleanType;
        case DATE -> DataTypes.DateType;
      };
      schema = schema.add(c.name(), t, c.nullable());
    }
    return schema;
  }

  private static Column.Type type(StructField f) {
    DataType t = f.dataType();
    if (t.equals(DataTypes.StringType)) {
      return Column.Type.STRING;
    } else if (t.equals(DataTypes.IntegerType)) {
      return Column.Type.INT;
    } else if (t.equals(DataTypes.LongType)) {
      return Column.Type.LONG;
    } else if (t.equals(DataTypes.DoubleType)) {
      return Column.Type.DOUBLE;
    } else if (t.equals(DataTypes.BooleanType)) {
      return Column.Type.BOOLEAN;
    } else if (t.equals(DataTypes.DateType)) {
      return Column.Type.DATE;
    }
    throw new IllegalArgumentException("column " + f.name() + ": no small-table type for " + t.simpleString());
  }
}
