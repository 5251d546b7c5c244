package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The quarantine step: the rejected records of a source as published beside it (raw text, reason,
 * message), their tally by reason, and the report of country codes the crosswalk lacked.
 */
final class Quarantine {
  /** Counts key prefix of the quarantined records of one reason. */
  static final String COUNT_PREFIX = "quarantined.";

  private Quarantine() {}

  /** The quarantine's columns of the rejected ones of {@code rows}, with the code the crosswalk lacked. */
  static Dataset<Row> rows(Dataset<Row> rows, Column countryCode) {
    return rows.where(col(Typing.REASON).isNotNull()).select(col("source_file"), col("source_line"),
        col(Typing.RAW).as("raw"), col(Typing.REASON).as("reason"), col(Typing.MESSAGE).as("message"),
        countryCode.as("country_code"));
  }

  /** The codes of the rows rejected as unknown_country, most frequent first, with their first line. */
  static Dataset<Row> unmatched(Dataset<Row> quarantine, SourceFormat.CountryKey key) {
    return quarantine.where(col("reason").equalTo("unknown_country"))
        .groupBy(col("country_code").as("code"))
        .agg(count(lit(1)).as("rows"), min(col("source_line")).as("first_line"))
        .withColumn("system", lit(key.system()))
        .withColumn("column", lit(key.column()))
        .orderBy(col("rows").desc(), col("code"));
  }

  /**
   * {@link #unmatched} of a quarantine held on the driver, summed there: the same rows in the same
   * order and schema, without the Spark jobs of a grouping and a sort (a source of megabytes has a
   * few dozen unknown codes at most). Its filter and projection of the local rows run in the
   * optimiser, not as a job.
   */
  static Dataset<Row> unmatchedOfLocal(SparkSession spark, Dataset<Row> quarantine, SourceFormat.CountryKey key) {
    StructType schema = unmatched(quarantine, key).schema();
    Map<UTF8String, long[]> byCode = new HashMap<>();
    for (Row r : quarantine.where(col("reason").equalTo("unknown_country"))
        .select(col("country_code"), col("source_line")).collectAsList()) {
      UTF8String code = r.isNullAt(0) ? null : UTF8String.fromString(r.getString(0));
      long[] rowsAndFirst = byCode.computeIfAbsent(code, c -> new long[] {0, Long.MAX_VALUE});
      rowsAndFirst[0]++;
      if (!r.isNullAt(1)) {
        rowsAndFirst[1] = Math.min(rowsAndFirst[1], r.getLong(1));
      }
    }
    // Spark's order: rows descending, then code ascending with null first, codes by their UTF-8 bytes
    Comparator<Map.Entry<UTF8String, long[]>> order = Comparator
        .<Map.Entry<UTF8String, long[]>>comparingLong(e -> -e.getValue()[0])
        .thenComparing(Map.Entry::getKey, Comparator.nullsFirst(Comparator.naturalOrder()));
    List<Row> out = new ArrayList<>();
    byCode.entrySet().stream().sorted(order).forEach(e -> out.add(RowFactory.create(
        e.getKey() == null ? null : e.getKey().toString(), e.getValue()[0],
        e.getValue()[1] == Long.MAX_VALUE ? null : e.getValue()[1], key.system(), key.column())));
    return spark.createDataFrame(out, schema);
  }

  /** The by-reason part of a source's counts, e.g. {@code {missing_value=3, unknown_country=1}}. */
  static String reasonCounts(Map<String, Long> counts) {
    Map<String, Long> by = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(COUNT_PREFIX)) {
        by.put(k.substring(COUNT_PREFIX.length()), v);
      }
    });
    return by.toString();
  }
}
