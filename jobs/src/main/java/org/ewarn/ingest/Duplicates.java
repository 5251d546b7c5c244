package org.ewarn.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Records that repeat a key. The first clean one (by file and line) wins; a later one identical in
 * content is a dropped duplicate ({@code _duplicate} = true: counted, not kept); a later one that
 * differs goes to quarantine as {@code duplicate_key}, since silently choosing between two
 * versions of an event would lose information.
 *
 * <p>Finding repeated keys reads only keys and positions; content is hashed only for the rows of
 * keys that repeat, joined back by broadcast. At GED scale a window over whole rows would move
 * gigabytes for a handful of duplicates, and hashing every row's content would read every column.
 */
public final class Duplicates {
  public static final String DUPLICATE = "_duplicate";

  private Duplicates() {}

  /**
   * The keys that occur more than once among {@code rows} (clean rows: nothing rejected), with
   * the position of their first occurrence. Small: callers may cache it, and skip {@link #mark}
   * when it is empty.
   */
  public static Dataset<Row> repeatedKeys(Dataset<Row> rows, List<String> key) {
    List<Column> keyCols = new ArrayList<>();
    key.forEach(k -> keyCols.add(col(k)));
    Dataset<Row> repeated = rows
        .groupBy(keyCols.toArray(Column[]::new))
        .agg(count(lit(1)).as("_n"), min(position()).as("_first"))
        .where(col("_n").gt(1))
        .drop("_n");
    for (String k : key) {
      repeated = repeated.withColumnRenamed(k, "_key_" + k);
    }
    return repeated;
  }

  /**
   * Marks the clean {@code rows} using their {@link #repeatedKeys}; {@code key} is not empty.
   * Adds {@link #DUPLICATE}, and for conflicting repeats {@link Typing#REASON} duplicate_key,
   * {@link Typing#MESSAGE} and {@link Typing#RAW} (the record as typed: the fields as read are
   * gone by now); all three are null on the other rows.
   */
  public static Dataset<Row> mark(Dataset<Row> rows, Dataset<Row> repeated, List<String> key, Set<String> notContent) {
    Column[] content = content(rows, notContent);
    Column match = null;
    for (String k : key) {
      Column eq = col(k).eqNullSafe(col("_key_" + k));
      match = match == null ? eq : match.and(eq);
    }
    // the content hash of each repeated key's first occurrence
    List<Column> keyOut = new ArrayList<>();
    key.forEach(k -> keyOut.add(col("_key_" + k)));
    keyOut.add(col("_first"));
    keyOut.add(xxhash64(content).as("_first_hash"));
    Dataset<Row> firsts = rows.join(broadcast(repeated), match.and(position().equalTo(col("_first"))))
        .select(keyOut.toArray(Column[]::new));
    Dataset<Row> joined = rows.join(broadcast(firsts), match, "left");
    Column hash = when(col("_first").isNotNull(), xxhash64(content));
    Column later = col("_first").isNotNull().and(not(position().equalTo(col("_first"))));
    Column same = hash.equalTo(col("_first_hash"));
    Column conflicting = later.and(not(same));
    String keyText = String.join(", ", key);
    Dataset<Row> out = joined
        .withColumn(DUPLICATE, coalesce(later.and(same), lit(false)))
        .withColumn(Typing.REASON, when(conflicting, lit("duplicate_key")))
        .withColumn(Typing.MESSAGE, when(conflicting,
            lit("another record with the same " + keyText + " and different content came first")))
        .withColumn(Typing.RAW, when(conflicting, to_json(struct(content))));
    List<String> drop = new ArrayList<>(List.of("_first", "_first_hash"));
    key.forEach(k -> drop.add("_key_" + k));
    return out.drop(drop.toArray(String[]::new));
  }

  private static Column position() {
    return struct(col("source_file"), col("source_line"));
  }

  private static Column[] content(Dataset<Row> rows, Set<String> notContent) {
    return Arrays.stream(rows.columns())
        .filter(c -> !notContent.contains(c) && !c.startsWith("_") && !c.equals("source_file")
            && !c.equals("source_line"))
        .map(c -> col(c))
        .toArray(Column[]::new);
  }
}
