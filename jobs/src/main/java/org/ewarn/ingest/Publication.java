package org.ewarn.ingest;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Staged;
import org.ewarn.warehouse.Warehouse;

/**
 * The publish step of one source: where its checked rows are held while they are counted, and how
 * its dataset, quarantine and unmatched report are written. The ingest reads both kinds the same
 * way, so a source publishes the same rows and schemas whichever holds it.
 *
 * <ul>
 *   <li>{@link #inMemory}: a source of megabytes. Its checked rows are collected once (the one Spark
 *       job that parses and checks its files); everything after works on driver-local rows, whose
 *       filters and projections Spark evaluates without a job, and the tables are written with
 *       the module's small-table writer ({@link Warehouse#publish(String, String, Manifest,
 *       org.ewarn.warehouse.Table)}), not by a Spark job each. For these sources nearly all the
 *       time went to per-job overhead, not to the data.
 *   <li>{@link #streamed}: a large source (full GED releases of gigabytes). Rows go through staging
 *       and scratch Parquet, so the heap does not bound the input size.
 * </ul>
 */
abstract class Publication {
  final SparkSession spark;
  final Warehouse warehouse;
  final String runId;
  final String dataset;
  final String vintage;
  /** Scratch names of the source: sources of one dataset (vintages) run side by side. */
  final String scratch;

  private Publication(SparkSession spark, Warehouse warehouse, String runId, IngestConfig.Source source) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.runId = runId;
    this.dataset = source.dataset();
    this.vintage = source.vintage();
    this.scratch = source.dataset() + "-" + source.name();
  }

  static Publication inMemory(SparkSession spark, Warehouse warehouse, String runId, IngestConfig.Source source) {
    return new InMemory(spark, warehouse, runId, source);
  }

  static Publication streamed(SparkSession spark, Warehouse warehouse, String runId, IngestConfig.Source source) {
    return new Streamed(spark, warehouse, runId, source);
  }

  /** The checked rows, held for the passes that split, count and write them. */
  abstract Dataset<Row> hold(Dataset<Row> checked);

  /**
   * Stages {@code rows} as the dataset's clean rows (replacing what was staged) and returns them as
   * read back: every column nullable, as from Parquet.
   */
  abstract Dataset<Row> stage(Dataset<Row> rows);

  /** Rows read more than once from here on, every column nullable as if read back from scratch. */
  abstract Dataset<Row> materialise(String name, Dataset<Row> rows);

  /** The number of clean rows and, per warning rule (in the rules' order), how many it warned on. */
  record Tally(long rows, Map<String, Long> warned) {}

  /** {@link Tally} of the staged clean rows (as read back: identical repeats included). */
  abstract Tally tally(Dataset<Row> clean, List<QualityRules.Rule> rules);

  /** False when no two clean rows share {@code key}: then there are no repeats to look for. */
  abstract boolean mayRepeat(Dataset<Row> clean, List<String> key);

  /** {@code quarantined.<reason>} of each reason of the quarantine's rows. */
  abstract Map<String, Long> byReason(Dataset<Row> quarantine);

  /** How many rows {@code rows} (a filter of held rows) has. */
  abstract long rowsOf(Dataset<Row> rows);

  /** {@link Quarantine#unmatched} of the quarantine, held for its manifest line and its report. */
  abstract Dataset<Row> unmatched(Dataset<Row> quarantine, SourceFormat.CountryKey key);

  /** Publishes a companion table (quarantine, unmatched report) of the dataset. */
  abstract Partition publish(String companion, Dataset<Row> rows, Manifest manifest);

  /** Publishes the staged clean rows with their manifest: the vintage exists for readers from here. */
  abstract Partition publishStaged(Manifest manifest);

  private static final class InMemory extends Publication {
    private StructType stagedSchema;
    private List<Row> staged;

    InMemory(SparkSession spark, Warehouse warehouse, String runId, IngestConfig.Source source) {
      super(spark, warehouse, runId, source);
    }

    @Override
    Dataset<Row> hold(Dataset<Row> checked) {
      return local(checked.collectAsList(), checked.schema());
    }

    @Override
    Dataset<Row> stage(Dataset<Row> rows) {
      // a filter and projection of local rows: evaluated by the optimiser, no Spark job
      staged = rows.collectAsList();
      stagedSchema = rows.schema();
      return local(staged, nullable(stagedSchema));
    }

    @Override
    Dataset<Row> materialise(String name, Dataset<Row> rows) {
      return local(rows.collectAsList(), nullable(rows.schema()));
    }

    @Override
    Tally tally(Dataset<Row> clean, List<QualityRules.Rule> rules) {
      // per-row flags are a projection of local rows (no job), summed here
      List<Column> flags = QualityRules.warningFlagColumns(rules);
      Dataset<Row> flagged = clean.select(flags.isEmpty() ? new Column[] {lit(1)} : flags.toArray(Column[]::new));
      List<Row> rows = flagged.collectAsList();
      Map<String, Long> warned = new LinkedHashMap<>();
      for (int i = 0; i < flags.size(); i++) {
        long n = 0;
        for (Row r : rows) {
          n += r.getLong(i);
        }
        warned.put(flagged.columns()[i], n);
      }
      return new Tally(rows.size(), warned);
    }

    @Override
    boolean mayRepeat(Dataset<Row> clean, List<String> key) {
      Set<List<Object>> seen = new HashSet<>();
      for (Row r : clean.select(key.stream().map(functions::col).toArray(Column[]::new)).collectAsList()) {
        Object[] values = new Object[r.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.get(i);
        }
        if (!seen.add(Arrays.asList(values))) {
          return true;
        }
      }
      return false;
    }

    @Override
    Map<String, Long> byReason(Dataset<Row> quarantine) {
      Map<String, Long> counts = new TreeMap<>();
      for (Row r : quarantine.select("reason").collectAsList()) {
        counts.merge(Quarantine.COUNT_PREFIX + r.getString(0), 1L, Long::sum);
      }
      return counts;
    }

    @Override
    long rowsOf(Dataset<Row> rows) {
      // a filter of local rows is evaluated by the optimiser; Dataset.count would be a job
      return rows.collectAsList().size();
    }

    @Override
    Dataset<Row> unmatched(Dataset<Row> quarantine, SourceFormat.CountryKey key) {
      return Quarantine.unmatchedOfLocal(spark, quarantine, key);
    }

    @Override
    Partition publish(String companion, Dataset<Row> rows, Manifest manifest) {
      return Publication.publish(spark, warehouse, companion, vintage, manifest, rows.schema(), rows.collectAsList());
    }

    @Override
    Partition publishStaged(Manifest manifest) {
      return Publication.publish(spark, warehouse, dataset, vintage, manifest, stagedSchema, staged);
    }

    private Dataset<Row> local(List<Row> rows, StructType schema) {
      return spark.createDataFrame(rows, schema);
    }
  }

  /** Publishes rows held in memory as one partition (its manifest's run id stages it). */
  static Partition publish(SparkSession spark, Warehouse warehouse, String dataset, String vintage,
      Manifest manifest, StructType schema, List<Row> rows) {
    if (!Arrays.stream(schema.fields()).allMatch(f -> SMALL_TABLE_TYPES.contains(f.dataType()))) {
      // a type the small writer lacks: Spark writes these few rows as it writes every large table
      return SparkMarts.publish(warehouse, dataset, vintage, spark.createDataFrame(rows, schema), manifest);
    }
    return warehouse.publish(dataset, vintage, manifest, SparkMarts.table(schema, rows));
  }

  /** The column types the module's small-table writer writes exactly as Spark does. */
  private static final Set<DataType> SMALL_TABLE_TYPES = Set.of(DataTypes.StringType, DataTypes.IntegerType,
      DataTypes.LongType, DataTypes.DoubleType, DataTypes.BooleanType, DataTypes.DateType);

  private static final class Streamed extends Publication {
    /** This run's staging of the dataset's partition, from the first {@link #stage} on. */
    private Staged staged;

    Streamed(SparkSession spark, Warehouse warehouse, String runId, IngestConfig.Source source) {
      super(spark, warehouse, runId, source);
    }

    @Override
    Dataset<Row> hold(Dataset<Row> checked) {
      // two reads of the files instead of a scratch copy of every row: parsing is cheaper than
      // writing and re-reading millions of wide rows; the clean rows are staged once, in their
      // published shape, and the second read keeps only the few rejected ones
      return checked;
    }

    @Override
    Dataset<Row> stage(Dataset<Row> rows) {
      if (staged == null) {
        staged = warehouse.stage(runId, dataset, vintage);
      }
      return SparkMarts.stage(spark, staged, rows);
    }

    @Override
    Dataset<Row> materialise(String name, Dataset<Row> rows) {
      return SparkMarts.materialise(spark, warehouse, runId, scratch + "-" + name, rows);
    }

    @Override
    Tally tally(Dataset<Row> clean, List<QualityRules.Rule> rules) {
      // the row count and the warning tallies in one pass
      List<Column> tallies = QualityRules.warningTallyColumns(rules);
      Row t = clean.agg(count(lit(1)).as("_rows"), tallies.toArray(Column[]::new)).first();
      Map<String, Long> warned = new LinkedHashMap<>();
      for (int i = 1; i < t.size(); i++) {
        warned.put(t.schema().fieldNames()[i], t.isNullAt(i) ? 0L : t.getLong(i));
      }
      return new Tally(t.getLong(0), warned);
    }

    @Override
    boolean mayRepeat(Dataset<Row> clean, List<String> key) {
      return true;
    }

    @Override
    Map<String, Long> byReason(Dataset<Row> quarantine) {
      Map<String, Long> counts = new TreeMap<>();
      for (Row r : quarantine.groupBy("reason").count().collectAsList()) {
        counts.put(Quarantine.COUNT_PREFIX + r.getString(0), r.getLong(1));
      }
      return counts;
    }

    @Override
    long rowsOf(Dataset<Row> rows) {
      return rows.count();
    }

    @Override
    Dataset<Row> unmatched(Dataset<Row> quarantine, SourceFormat.CountryKey key) {
      return hold(Quarantine.unmatched(quarantine, key));
    }

    @Override
    Partition publish(String companion, Dataset<Row> rows, Manifest manifest) {
      return SparkMarts.publish(warehouse, companion, vintage, rows, manifest);
    }

    @Override
    Partition publishStaged(Manifest manifest) {
      return staged.publish(manifest);
    }
  }

  /** The schema with every column nullable, as Spark reads any Parquet file back. */
  static StructType nullable(StructType schema) {
    return new StructType(Arrays.stream(schema.fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
  }
}
