package org.ewarn.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marts written without Spark read back the same, by Spark and by the small reader. */
class SmallParquetTest extends SparkTest {
  @TempDir Path dir;

  private static final StructType SCHEMA = new StructType()
      .add("country", DataTypes.StringType, true)
      .add("ccode", DataTypes.IntegerType, false)
      .add("rows", DataTypes.LongType, true)
      .add("risk", DataTypes.DoubleType, true)
      .add("missed", DataTypes.BooleanType, true)
      .add("onset_date", DataTypes.DateType, true);

  private static final List<Row> ROWS = List.of(
      RowFactory.create("Côte d'Ivoire", 437, 12L, 0.0412, false, Date.valueOf("2002-09-19")),
      RowFactory.create("缅甸", 775, null, null, true, null),
      RowFactory.create(null, 625, 0L, Double.NaN, null, Date.valueOf("1970-01-01")));

  @Test
  void sparkReadsWhatTheSmallWriterWroteAsIfSparkHadWrittenIt() {
    SmallParquet.write(dir.resolve("small"), SCHEMA, ROWS);
    spark().createDataFrame(ROWS, SCHEMA).coalesce(1).write().parquet(dir.resolve("spark").toString());
    Dataset<Row> small = spark().read().parquet(dir.resolve("small").toString());
    Dataset<Row> bySpark = spark().read().parquet(dir.resolve("spark").toString());
    assertThat(small.schema()).isEqualTo(bySpark.schema());
    assertThat(small.schema().fieldNames()).containsExactly(SCHEMA.fieldNames());
    assertThat(small.collectAsList()).containsExactlyElementsOf(ROWS);
  }

  @Test
  void smallReaderReadsWhatSparkWrote() {
    spark().createDataFrame(ROWS, SCHEMA).coalesce(1).write().parquet(dir.resolve("spark").toString());
    List<Row> read = SmallParquet.read(dir.resolve("spark"));
    assertThat(read).containsExactlyElementsOf(ROWS);
    assertThat(read.get(0).schema().fieldNames()).containsExactly(SCHEMA.fieldNames());
    assertThat(read.get(0).<Integer>getAs("ccode")).isEqualTo(437);
    assertThat(SmallParquet.columns(dir.resolve("spark"))).containsExactly(SCHEMA.fieldNames());
  }
}
