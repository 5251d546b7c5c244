package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

/** UCDP Candidate events superseded by later vintages resolve by event id, latest wins. */
class EventVintagesTest extends SparkTest {

  @Test
  void versionsCompareNumerically() {
    assertThat(List.of("24.1", "24.0.10", "23.1", "24.0.9").stream().sorted(EventVintages.ORDER).toList())
        .containsExactly("23.1", "24.0.9", "24.0.10", "24.1");
  }

  @Test
  void latestVintageWinsPerEventAndDroppedEventsStay() {
    // Real GED 23.1 events from the bundled sample play three releases of the same events.
    Dataset<Row> real = spark().read().option("header", "true")
        .schema("id BIGINT, relid STRING, year INT, best INT")
        .csv(IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz").toString())
        .select("id", "year", "best").limit(30).cache();
    List<Long> ids = real.select("id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
    Dataset<Row> candidate9 = real.withColumn("vintage", lit("24.0.9"));
    // the next candidate release revises the first 20 events' deaths
    Dataset<Row> candidate10 = real.where(col("id").isin(ids.subList(0, 20).toArray()))
        .withColumn("best", col("best").plus(100)).withColumn("vintage", lit("24.0.10"));
    // the annual GED keeps only the first 10, with the final count
    Dataset<Row> ged = real.where(col("id").isin(ids.subList(0, 10).toArray()))
        .withColumn("best", col("best").plus(1000)).withColumn("vintage", lit("24.1"));

    Dataset<Row> resolved = EventVintages.latestById(candidate10.unionByName(ged).unionByName(candidate9), "id");

    assertThat(resolved.count()).isEqualTo(30);
    assertThat(resolved.where(col("vintage").equalTo("24.1")).count()).isEqualTo(10);
    assertThat(resolved.where(col("vintage").equalTo("24.0.10")).count()).isEqualTo(10);
    assertThat(resolved.where(col("vintage").equalTo("24.0.9")).count()).isEqualTo(10);
    Row first = resolved.where(col("id").equalTo(ids.get(0))).first();
    Row original = real.where(col("id").equalTo(ids.get(0))).first();
    assertThat(first.<Integer>getAs("best")).isEqualTo(original.<Integer>getAs("best") + 1000);
  }
}
