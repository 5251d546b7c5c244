package org.ewarn.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Raw records → typed rows, each either clean or carrying the first reason it was rejected. Pure:
 * no paths, no session. Rejection reasons are codes a researcher can count and filter on.
 */
public final class Typing {
  public static final String REASON = "_reason";
  public static final String MESSAGE = "_message";
  public static final String RAW = "_raw";
  /** The record's fields as read, carried until quarantine needs them. */
  public static final String FIELDS = "_fields";

  private Typing() {}

  /** One output column: its name, type and accepted date patterns (for DATE). */
  public record ColumnSpec(String name, DataType type, List<String> datePatterns) {}

  /**
   * Types the {@code values} array of {@link org.ewarn.io.DelimitedFiles#RECORD_SCHEMA} records
   * into {@code columns}. Checks, first failure wins: short_row, extra_fields, missing_value (a
   * not-null column is empty), bad_number / bad_integer / bad_date (a value that does not parse).
   */
  public static Dataset<Row> apply(
      Dataset<Row> records, List<ColumnSpec> columns, List<String> notNull, List<String> nullTokens) {
    // Three projections (clean text, then typed values, then checks) so each value expression is
    // written once; inlining them into every check overflowed Spark's 64 KB generated-code limit.
    List<Column> cleaned = new ArrayList<>(List.of(col("source_file"), col("source_line"),
        col("field_count"), col("header_count"), col("fields")));
    for (int i = 0; i < columns.size(); i++) {
      Column raw = trim(col("values").getItem(i));
      cleaned.add(when(raw.isin((Object[]) nullTokens.toArray()), lit(null).cast("string"))
          .otherwise(raw).as(text(i)));
    }
    Dataset<Row> text = records.select(cleaned.toArray(Column[]::new));

    List<Column> typed = new ArrayList<>(List.of(col("source_file"), col("source_line"),
        col("field_count"), col("header_count"), col("fields")));
    for (int i = 0; i < columns.size(); i++) {
      typed.add(col(text(i)));
      typed.add(parse(col(text(i)), columns.get(i)).as(columns.get(i).name()));
    }
    Dataset<Row> values = text.select(typed.toArray(Column[]::new));

    List<Column[]> checks = new ArrayList<>(); // {condition, reason, message}
    Column fieldCount = col("field_count");
    Column headerCount = col("header_count");
    Column counts = concat(lit("record has "), fieldCount.cast("string"), lit(" fields, the header has "),
        headerCount.cast("string"));
    checks.add(new Column[] {fieldCount.lt(headerCount), lit("short_row"), counts});
    checks.add(new Column[] {fieldCount.gt(headerCount), lit("extra_fields"), counts});
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec spec = columns.get(i);
      Column value = col(text(i));
      Column parsed = col(spec.name());
      if (notNull.contains(spec.name())) {
        checks.add(new Column[] {
            value.isNull(), lit("missing_value"),
            lit("column " + spec.name() + " is empty; a value is required")});
      }
      if (!spec.type().equals(DataTypes.StringType)) {
        checks.add(new Column[] {
            value.isNotNull().and(parsed.isNull()), lit(reasonFor(spec.type())),
            concat(lit("column " + spec.name() + ": '"), value, lit("' is not " + expected(spec)))});
      }
    }
    Column reason = null;
    Column message = null;
    for (Column[] check : checks) {
      reason = reason == null ? when(check[0], check[1]) : reason.when(check[0], check[1]);
      message = message == null ? when(check[0], check[2]) : message.when(check[0], check[2]);
    }
    List<Column> out = new ArrayList<>(List.of(col("source_file"), col("source_line")));
    columns.forEach(c -> out.add(col(c.name())));
    out.add(reason.as(REASON));
    out.add(message.as(MESSAGE));
    out.add(col("fields").as(FIELDS));
    return values.select(out.toArray(Column[]::new));
  }

  private static String text(int i) {
    return "_text_" + i;
  }

  private static Column parse(Column value, ColumnSpec spec) {
    DataType t = spec.type();
    if (t.equals(DataTypes.StringType)) {
      return value;
    }
    if (t.equals(DataTypes.DateType)) {
      Column date = null;
      for (String pattern : spec.datePatterns().isEmpty() ? List.of("yyyy-MM-dd") : spec.datePatterns()) {
        Column one = to_date(try_to_timestamp(value, lit(pattern)));
        date = date == null ? one : coalesce(date, one);
      }
      return date;
    }
    Column number = value.try_cast(DataTypes.DoubleType);
    if (t.equals(DataTypes.DoubleType)) {
      return number;
    }
    // Whole numbers are read through double so "1945.0" (R exports) is accepted and "1.5" is not.
    double limit = t.equals(DataTypes.IntegerType) ? Integer.MAX_VALUE : 9.007199254740992E15;
    Column whole = number.isNotNull().and(floor(number).equalTo(number))
        .and(number.between(-limit, limit));
    return when(whole, number.cast(t));
  }

  private static String reasonFor(DataType t) {
    if (t.equals(DataTypes.DateType)) {
      return "bad_date";
    }
    return t.equals(DataTypes.DoubleType) ? "bad_number" : "bad_integer";
  }

  private static String expected(ColumnSpec spec) {
    DataType t = spec.type();
    if (t.equals(DataTypes.DateType)) {
      return "a date (" + String.join(" or ", spec.datePatterns().isEmpty() ? List.of("yyyy-MM-dd") : spec.datePatterns()) + ")";
    }
    return t.equals(DataTypes.DoubleType) ? "a number" : "a whole number";
  }

  /** Final step before writing: rejected rows keep their fields as read, as JSON. */
  public static Dataset<Row> withRawForRejected(Dataset<Row> rows) {
    return rows.withColumn(RAW, when(col(REASON).isNotNull(), to_json(col(FIELDS)))).drop(FIELDS);
  }
}
