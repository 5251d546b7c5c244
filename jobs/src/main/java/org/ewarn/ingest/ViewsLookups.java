package org.ewarn.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The VIEWS country-month series keys countries by its own {@code country_id} and months by
 * {@code month_id} (1 = 1980-01). Its lookups resolve both: ids through ISO3 ({@code isoab}) to
 * the crosswalk, with the source's overrides for ids the lookup lacks (227 Serbia and
 * Montenegro/Yugoslavia, 186, 187, 197) or has without an ISO code (Kosovo); months to year,
 * month and month_index. Pure functions of datasets.
 */
final class ViewsLookups {
  static final String SYSTEM = "views";

  private ViewsLookups() {}

  /**
   * Lookup rows in the shape of {@link Countries#codes} for system {@code views}: each VIEWS id
   * with the canonical keys of its ISO3 code, or of the override's G-W code (overrides win).
   */
  static Dataset<Row> codes(SparkSession spark, Dataset<Row> viewsCountries, Dataset<Row> codes,
      List<IngestConfig.CodeOverride> overrides) {
    Dataset<Row> byIso3 = codes.where(col("system").equalTo("iso3"))
        .select(col("code").as("_iso3"), col("gw_code"), col("cow_code"), col("iso3"), col("country"));
    Dataset<Row> byGw = codes.where(col("system").equalTo("gw"))
        .select(col("code").as("_gw"), col("gw_code"), col("cow_code"), col("iso3"), col("country"));
    StructType shape = new StructType().add("_id", DataTypes.StringType).add("_gw", DataTypes.StringType);
    Dataset<Row> fixed = spark.createDataFrame(overrides.stream()
        .map(o -> (Row) org.apache.spark.sql.RowFactory.create(o.code().strip(), Integer.toString(o.gw()))).toList(), shape);
    Dataset<Row> fromOverrides = fixed.join(byGw, "_gw")
        .select(lit(SYSTEM).as("system"), col("_id").as("code"), col("gw_code"), col("cow_code"), col("iso3"), col("country"));
    Dataset<Row> fromLookup = viewsCountries
        .select(col("country_id").cast("double").cast("long").cast("string").as("_id"), upper(col("isoab")).as("_iso3"))
        .join(fixed.select("_id"), "_id", "left_anti")
        .join(byIso3, "_iso3")
        .select(lit(SYSTEM).as("system"), col("_id").as("code"), col("gw_code"), col("cow_code"), col("iso3"), col("country"));
    return fromOverrides.unionByName(fromLookup);
  }

  /**
   * {@code year}, {@code month} and {@code month_index} (year × 12 + month − 1) from the months
   * lookup; a month_id it lacks is rejected as {@code unknown_month}.
   */
  static Dataset<Row> withMonths(Dataset<Row> rows, Dataset<Row> months) {
    Dataset<Row> m = months.select(col("month_id").cast("double").cast("int").as("_month_id"),
        col("year").cast("double").cast("int").as("year"), col("month").cast("double").cast("int").as("month"));
    Dataset<Row> joined = rows.join(broadcast(m), rows.col("month_id").equalTo(m.col("_month_id")), "left").drop("_month_id");
    Column unknown = col(Typing.REASON).isNull().and(col("year").isNull());
    return joined
        .withColumn("month_index", col("year").multiply(12).plus(col("month")).minus(1).cast("int"))
        .withColumn(Typing.MESSAGE, when(unknown, concat(lit("month_id "), col("month_id").cast("string"),
            lit(" is not in the months lookup"))).otherwise(col(Typing.MESSAGE)))
        .withColumn(Typing.REASON, when(unknown, lit("unknown_month")).otherwise(col(Typing.REASON)));
  }
}
