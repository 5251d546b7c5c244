package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.ewarn.io.DelimitedFiles;

/**
 * Raw records → typed rows, each either clean or carrying the first reason it was rejected. Pure:
 * no paths, no session. Rejection reasons are codes a researcher can count and filter on.
 *
 * <p>Checks, first failure wins: short_row, extra_fields, then column by column missing_value (a
 * not-null column is empty) and bad_number / bad_integer / bad_date (a value that does not parse).
 * Values are trimmed and the configured null tokens ("NA", "NULL"…) read as empty. Whole numbers
 * are read through double so "1945.0" (R exports) is accepted and "1.5" is not.
 */
public final class Typing {
  public static final String REASON = "_reason";
  public static final String MESSAGE = "_message";
  public static final String RAW = "_raw";
  /** The record's fields as read, carried until quarantine needs them. */
  public static final String FIELDS = "_fields";

  private Typing() {}

  /** One output column: its name, type and accepted date patterns (for DATE). */
  public record ColumnSpec(String name, DataType type, List<String> datePatterns) implements java.io.Serializable {}

  /**
   * The record shape the file reader applies: {@code source_file, source_line}, the columns typed,
   * then {@link #REASON}, {@link #MESSAGE} and {@link #FIELDS}.
   */
  public static DelimitedFiles.RecordShape shape(
      List<ColumnSpec> columns, List<String> notNull, List<String> nullTokens) {
    return new RecordTyper(columns, notNull, nullTokens);
  }

  /** Final step before writing: rejected rows keep their fields as read, as JSON. */
  public static Dataset<Row> withRawForRejected(Dataset<Row> rows) {
    return rows.withColumn(RAW, when(col(REASON).isNotNull(), to_json(col(FIELDS)))).drop(FIELDS);
  }

  private enum Kind { STRING, INT, LONG, DOUBLE, DATE }

  private static final class RecordTyper implements DelimitedFiles.RecordShape {
    private static final long serialVersionUID = 1L;
    /** Largest whole number a double holds exactly: BIGINT values beyond it are not trusted. */
    private static final double EXACT_LIMIT = 9.007199254740992E15;
    private static final UTF8String SHORT_ROW = UTF8String.fromString("short_row");
    private static final UTF8String EXTRA_FIELDS = UTF8String.fromString("extra_fields");
    private static final UTF8String MISSING_VALUE = UTF8String.fromString("missing_value");

    private final StructType schema;
    private final String[] names;
    private final Kind[] kinds;
    private final boolean[] required;
    private final List<List<String>> datePatterns;
    private final HashSet<String> nullTokens;
    private transient DateTimeFormatter[][] formatters;
    /** Dates repeat heavily (GED has a few thousand distinct days per million events). */
    private transient Map<String, Integer> dayCache;

    RecordTyper(List<ColumnSpec> columns, List<String> notNull, List<String> nullTokens) {
      int n = columns.size();
      names = new String[n];
      kinds = new Kind[n];
      required = new boolean[n];
      datePatterns = new java.util.ArrayList<>();
      StructType s = new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_line", DataTypes.LongType, false);
      for (int i = 0; i < n; i++) {
        ColumnSpec c = columns.get(i);
        names[i] = c.name();
        kinds[i] = kind(c.type());
        required[i] = notNull.contains(c.name());
        datePatterns.add(List.copyOf(c.datePatterns().isEmpty() ? List.of("yyyy-MM-dd") : c.datePatterns()));
        s = s.add(c.name(), c.type(), true);
      }
      this.schema = s.add(REASON, DataTypes.StringType, true)
          .add(MESSAGE, DataTypes.StringType, true)
          .add(FIELDS, DataTypes.createArrayType(DataTypes.StringType, true), false);
      this.nullTokens = new HashSet<>(nullTokens);
    }

    private static Kind kind(DataType t) {
      if (t.equals(DataTypes.StringType)) {
        return Kind.STRING;
      } else if (t.equals(DataTypes.IntegerType)) {
        return Kind.INT;
      } else if (t.equals(DataTypes.LongType)) {
        return Kind.LONG;
      } else if (t.equals(DataTypes.DoubleType)) {
        return Kind.DOUBLE;
      } else if (t.equals(DataTypes.DateType)) {
        return Kind.DATE;
      }
      throw new IllegalArgumentException("no reader for column type " + t.simpleString());
    }

    @Override
    public StructType schema() {
      return schema;
    }

    @Override
    public InternalRow row(DelimitedFiles.FileLayout layout, UTF8String file, long line, String[] fields) {
      int n = names.length;
      Object[] out = new Object[n + 5];
      out[0] = file;
      out[1] = line;
      Object[] asRead = new Object[fields.length];
      for (int f = 0; f < fields.length; f++) {
        asRead[f] = fields[f] == null ? null : UTF8String.fromString(fields[f]);
      }
      UTF8String reason = null;
      String message = null;
      int headerCount = layout.headerCount();
      if (fields.length != headerCount) {
        reason = fields.length < headerCount ? SHORT_ROW : EXTRA_FIELDS;
        message = "record has " + fields.length + " fields, the header has " + headerCount;
      }
      int[] positions = layout.positions();
      for (int i = 0; i < n; i++) {
        int p = positions[i];
        String raw = p >= 0 && p < fields.length ? fields[p] : null;
        String value = raw == null ? null : raw.trim();
        if (value != null && nullTokens.contains(value)) {
          value = null;
        }
        if (value == null) {
          if (reason == null && required[i]) {
            reason = MISSING_VALUE;
            message = "column " + names[i] + " is empty; a value is required";
          }
          continue;
        }
        Object typed = switch (kinds[i]) {
          case STRING -> value == raw ? asRead[p] : UTF8String.fromString(value);
          case INT -> whole(value, Integer.MAX_VALUE, true);
          case LONG -> whole(value, EXACT_LIMIT, false);
          case DOUBLE -> number(value);
          case DATE -> day(i, value);
        };
        out[2 + i] = typed;
        if (typed == null && reason == null) {
          reason = UTF8String.fromString(reasonFor(kinds[i]));
          message = "column " + names[i] + ": '" + value + "' is not " + expected(i);
        }
      }
      out[n + 2] = reason;
      out[n + 3] = message == null ? null : UTF8String.fromString(message);
      out[n + 4] = new GenericArrayData(asRead);
      return new GenericInternalRow(out);
    }

    /** A whole number within ±limit, as Integer or Long; null when the text is not one. */
    private static Object whole(String text, double limit, boolean asInt) {
      if (plainDigits(text)) {
        long v = Long.parseLong(text);
        if (Math.abs((double) v) > limit) {
          return null;
        }
        return asInt ? (Object) (int) v : (Object) v;
      }
      Double d = number(text);
      if (d == null || Math.floor(d) != d || Math.abs(d) > limit) {
        return null;
      }
      return asInt ? (Object) d.intValue() : (Object) d.longValue();
    }

    /** Up to 18 digits with an optional sign: parses as a long without overflow. */
    private static boolean plainDigits(String s) {
      int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
      int len = s.length() - start;
      if (len < 1 || len > 18) {
        return false;
      }
      for (int i = start; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }

    private static Double number(String text) {
      char last = text.charAt(text.length() - 1);
      // Java would read "12d", "3f" and hex floats; no data file means those
      if (last == 'd' || last == 'D' || last == 'f' || last == 'F' || text.indexOf('x') >= 0 || text.indexOf('X') >= 0) {
        return null;
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private Integer day(int column, String text) {
      if (dayCache == null || dayCache.size() > 100_000) {
        dayCache = new HashMap<>();
      }
      Integer cached = dayCache.get(text);
      if (cached == null) {
        cached = parseDay(column, text);
        dayCache.put(text, cached);
      }
      return cached == Integer.MIN_VALUE ? null : cached;
    }

    /** Days since 1970-01-01 by the first pattern that reads the whole text; MIN_VALUE for none. */
    private int parseDay(int column, String text) {
      if (formatters == null) {
        formatters = new DateTimeFormatter[names.length][];
      }
      if (formatters[column] == null) {
        formatters[column] = datePatterns.get(column).stream().map(RecordTyper::formatter)
            .toArray(DateTimeFormatter[]::new);
      }
      for (DateTimeFormatter f : formatters[column]) {
        try {
          return (int) f.parse(text, LocalDate::from).toEpochDay();
        } catch (DateTimeParseException e) {
          // try the next pattern
        }
      }
      return Integer.MIN_VALUE;
    }

    private static DateTimeFormatter formatter(String pattern) {
      // Spark's reading of the same patterns: strict calendar, year of era defaults to AD, and
      // English month names ("15 January 2020" in ACLED exports)
      return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
          .parseDefaulting(ChronoField.ERA, 1)
          .toFormatter(Locale.US).withChronology(IsoChronology.INSTANCE)
          .withResolverStyle(ResolverStyle.STRICT);
    }

    private static String reasonFor(Kind k) {
      return switch (k) {
        case DATE -> "bad_date";
        case DOUBLE -> "bad_number";
        default -> "bad_integer";
      };
    }

    private String expected(int column) {
      return switch (kinds[column]) {
        case DATE -> "a date (" + String.join(" or ", datePatterns.get(column)) + ")";
        case DOUBLE -> "a number";
        default -> "a whole number";
      };
    }
  }
}
