package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import java.util.Comparator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * One row per event across vintages: UCDP Candidate events (e.g. 24.0.3) are replaced by the
 * same event id in a later vintage (24.0.4, then GED 24.1), and events dropped by UCDP stay only
 * in the vintage that had them. Latest vintage wins, vintages compared as version numbers.
 */
public final class EventVintages {
  private EventVintages() {}

  /** "24.0.10" → sortable "00024.00000.00010" so that 24.0.10 comes after 24.0.9. */
  public static String sortKey(String vintage) {
    StringBuilder b = new StringBuilder();
    for (String part : vintage.split("[^0-9A-Za-z]+")) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(part.chars().allMatch(Character::isDigit) ? String.format("%010d", Long.parseLong(part)) : part);
    }
    return b.toString();
  }

  public static final Comparator<String> ORDER = Comparator.comparing(EventVintages::sortKey);

  private static final UserDefinedFunction SORT_KEY =
      udf((UDF1<String, String>) EventVintages::sortKey, DataTypes.StringType).withName("vintage_sort_key");

  /** {@code rows} carry a {@code vintage} column; keeps the latest vintage's row per id. */
  public static Dataset<Row> latestById(Dataset<Row> rows, String idColumn) {
    return rows
        .withColumn("_rank", row_number().over(
            Window.partitionBy(col(idColumn)).orderBy(SORT_KEY.apply(col("vintage")).desc())))
        .where(col("_rank").equalTo(1))
        .drop("_rank");
  }
}
