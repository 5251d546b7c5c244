package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark and the small reader/writer see the same tables: Spark reads what the module wrote with the
 * types Spark would have written, the module reads what Spark wrote, and a Spark job publishes
 * through a staged location as the jobs will (local disk, HDFS, HDFS in manifest-last mode).
 */
class SparkRoundTripTest {
  private static SparkSession spark;
  private static final Table FORECASTS = WarehouseContract.FORECASTS;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("warehouse-spark-round-trip")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.hadoop.dfs.replication", "1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The Spark schema of the test columns, spelled out here rather than taken from the module. */
  static StructType sparkSchema() {
    DataType[] types = {DataTypes.StringType, DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType,
        DataTypes.BooleanType, DataTypes.DateType, DataTypes.DoubleType, DataTypes.LongType, DataTypes.DoubleType};
    StructType s = new StructType();
    for (int i = 0; i < types.length; i++) {
      s = s.add(TestData.COLUMNS.get(i).name(), types[i], TestData.COLUMNS.get(i).nullable());
    }
    return s;
  }

  static List<Row> sparkRows(Table t) {
    List<Row> rows = new ArrayList<>();
    for (List<Object> r : t.rows()) {
      Object[] v = r.toArray();
      for (int i = 0; i < v.length; i++) {
        if (v[i] instanceof LocalDate d) {
          v[i] = java.sql.Date.valueOf(d);
        }
      }
      rows.add(RowFactory.create(v));
    }
    return rows;
  }

  private static Storage store(String kind, String name) {
    return switch (kind) {
      case "local" -> Storage.open(tmp.resolve(name).toString());
      case "hdfs" -> Storage.open(Hdfs.root(name), Hdfs.conf());
      default -> Storage.open(Hdfs.root(name), Hdfs.conf(), Storage.Commit.MANIFEST_LAST);
    };
  }

  @Test
  void theRowMetadataIsWhatSparkWrites() {
    assertThat(SparkRowMetadata.of(TestData.COLUMNS)).containsEntry(SparkRowMetadata.KEY, sparkSchema().json());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "hdfs", "hdfs-manifest-last"})
  void sparkReadsWhatTheModuleWroteAsIfSparkHadWrittenIt(String kind) {
    Partition p = Warehouse.on(store(kind, "module-writes")).publish("forecasts", "2023",
        TestData.manifest("forecasts", "2023", "r1", "2026-12-01T02:00:00Z"), FORECASTS);
    Dataset<Row> read = spark.read().parquet(p.location());
    Dataset<Row> bySpark = spark.createDataFrame(sparkRows(FORECASTS), sparkSchema());
    String sparkDir = store(kind, "spark-writes").location("copy");
    bySpark.coalesce(1).write().parquet(sparkDir);
    // Spark reads every file column as nullable, its own files too: compare with what it wrote
    assertThat(read.schema()).isEqualTo(spark.read().parquet(sparkDir).schema()).isEqualTo(sparkSchema().asNullable());
    assertThat(read.collectAsList()).containsExactlyElementsOf(sparkRows(FORECASTS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "hdfs", "hdfs-manifest-last"})
  void aSparkJobPublishesThroughAStagedLocationAndTheModuleReadsItIdentically(String kind) {
    Warehouse w = Warehouse.on(store(kind, "spark-publishes"));
    Staged staged = w.stage("r1", "forecasts", "2023");
    spark.createDataFrame(sparkRows(FORECASTS), sparkSchema()).repartition(3)
        .write().option("compression", "zstd").parquet(staged.location());
    assertThat(w.partition("forecasts", "2023")).as("nothing visible before publish").isEmpty();
    Partition p = staged.publish(TestData.manifest("forecasts", "2023", "r1", "2026-12-01T02:00:00Z"));

    assertThat(p.dataFiles()).hasSize(3);
    assertThat(p.verify()).isEqualTo(FORECASTS.size());
    Table read = p.read();
    assertThat(read.columns()).isEqualTo(TestData.COLUMNS);
    Comparator<List<Object>> byLabel = Comparator.comparing(r -> Integer.parseInt((String) r.get(0)));
    assertThat(read.rows().stream().sorted(byLabel).toList()).isEqualTo(FORECASTS.rows());
    // and Spark, reading the published folder, sees the same rows as the module
    List<Row> bySpark = spark.read().parquet(p.location()).collectAsList().stream()
        .sorted(Comparator.comparing(r -> Integer.parseInt(r.getString(0)))).toList();
    assertThat(bySpark).containsExactlyElementsOf(sparkRows(FORECASTS));
  }

  @Test
  void aMartTheJobsWroteReadsTheSameBySparkAndByTheModule() {
    Partition p = Warehouse.open(FormatCompatibilityTest.BASELINE.resolve("warehouse").toString()).require("risk_forecasts");
    Dataset<Row> bySpark = spark.read().parquet(p.location());
    Table byModule = p.read();
    assertThat(byModule.columnNames()).containsExactly(bySpark.columns());
    List<Row> sparkRows = bySpark.collectAsList();
    assertThat(byModule.size()).isEqualTo(sparkRows.size()).isEqualTo(2352);
    for (int i = 0; i < sparkRows.size(); i++) {
      Row s = sparkRows.get(i);
      List<Object> m = byModule.rows().get(i);
      for (int c = 0; c < s.size(); c++) {
        Object v = s.get(c);
        assertThat(m.get(c)).as("row %d column %s", i, byModule.columns().get(c).name())
            .isEqualTo(v instanceof java.sql.Date d ? d.toLocalDate() : v);
      }
    }
  }
}
