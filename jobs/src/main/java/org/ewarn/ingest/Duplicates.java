package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Records that repeat a key. The first (by file and line) wins; a later one identical in content
 * is a dropped duplicate ({@code _duplicate} = true, counted, not kept); a later one that differs
 * goes to quarantine as {@code duplicate_key}, since silently choosing between two versions of an
 * event would lose information.
 */
public final class Duplicates {
  public static final String DUPLICATE = "_duplicate";

  private Duplicates() {}

  public static Dataset<Row> mark(Dataset<Row> rows, List<String> key, Set<String> notContent) {
    if (key.isEmpty()) {
      return rows.withColumn(DUPLICATE, lit(false));
    }
    Column[] content = java.util.Arrays.stream(rows.columns())
        .filter(c -> !notContent.contains(c) && !c.startsWith("_") && !c.equals("source_file")
            && !c.equals("source_line"))
        .map(c -> col(c))
        .toArray(Column[]::new);
    Column[] keyCols = key.stream().map(c -> col(c)).toArray(Column[]::new);
    Column clean = col(Typing.REASON).isNull();
    Dataset<Row> ranked = rows
        .withColumn("_hash", xxhash64(content))
        .withColumn("_cleanrank", when(clean, lit(0)).otherwise(lit(1)));
    // Clean rows first: a rejected row must not shadow a good one with the same key.
    WindowSpec byKey = Window.partitionBy(keyCols).orderBy(col("_cleanrank"), col("source_file"), col("source_line"));
    ranked = ranked
        .withColumn("_n", row_number().over(byKey))
        .withColumn("_first_hash", first(col("_hash")).over(byKey));
    Column later = clean.and(col("_n").gt(1));
    Column same = col("_hash").equalTo(col("_first_hash"));
    String keyText = String.join(", ", key);
    return ranked
        .withColumn(DUPLICATE, later.and(same))
        .withColumn(Typing.MESSAGE, when(later.and(not(same)),
            lit("another record with the same " + keyText + " and different content came first"))
            .otherwise(col(Typing.MESSAGE)))
        .withColumn(Typing.REASON, when(later.and(not(same)), lit("duplicate_key")).otherwise(col(Typing.REASON)))
        .drop("_hash", "_cleanrank", "_n", "_first_hash");
  }

  private static Column not(Column c) {
    return org.apache.spark.sql.functions.not(c);
  }
}
