package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
