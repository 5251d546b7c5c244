package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.ewarn.run.StageFailure;

/**
 * A Parquet source file read as records of text fields, so it goes through the same format check,
 * typing, quarantine and counts as a delimited file: its column names are the header, each value
 * its plain text (a whole double as "3.0", a date as yyyy-MM-dd), a null an absent field. A
 * record's "line" is its row number, 1-based. Only flat columns: a source is a table.
 */
final class ParquetRecords implements DelimitedFiles.Cursor {
  private final ParquetReader<Group> reader;
  private final MessageType schema;
  private String[] fields;
  private long row;

  static boolean isParquet(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
  }

  /** The column names, after checking every column is a flat value. */
  static String[] header(Path file) {
    MessageType message = schema(file);
    return message.getFields().stream().map(Type::getName).toArray(String[]::new);
  }

  private static MessageType schema(Path file) {
    MessageType message;
    try (ParquetFileReader meta = ParquetFileReader.open(new LocalInputFile(file))) {
      message = meta.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw StageFailure.config("file " + file + " is not a readable Parquet file: " + e.getMessage());
    }
    List<String> nested = message.getFields().stream()
        .filter(t -> !t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)).map(Type::getName).toList();
    if (!nested.isEmpty()) {
      throw StageFailure.config("file " + file + ": columns " + nested
          + " are nested or repeated; a Parquet source must be a flat table");
    }
    return message;
  }

  ParquetRecords(Path file) {
    this.schema = schema(file);
    try {
      this.reader = new Builder(new LocalInputFile(file)).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public boolean next() {
    Group g;
    try {
      g = reader.read();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet row " + (row + 1), e);
    }
    if (g == null) {
      fields = null;
      return false;
    }
    row++;
    int n = schema.getFieldCount();
    fields = new String[n];
    for (int i = 0; i < n; i++) {
      fields[i] = g.getFieldRepetitionCount(i) == 0 ? null : text(g, i, schema.getType(i).asPrimitiveType());
    }
    return true;
  }

  @Override
  public String[] fields() {
    return fields;
  }

  @Override
  public long line() {
    return row;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // read to the end or abandoned; nothing to recover
    }
  }

  private static String text(Group g, int i, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> Boolean.toString(g.getBoolean(i, 0));
      case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? LocalDate.ofEpochDay(g.getInteger(i, 0)).toString()
          : Integer.toString(g.getInteger(i, 0));
      case INT64 -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
          ? timestamp(g.getLong(i, 0), ts.getUnit()) : Long.toString(g.getLong(i, 0));
      case FLOAT -> Float.toString(g.getFloat(i, 0));
      case DOUBLE -> Double.toString(g.getDouble(i, 0));
      default -> g.getString(i, 0);
    };
  }

  private static String timestamp(long v, LogicalTypeAnnotation.TimeUnit unit) {
    Instant t = switch (unit) {
      case MILLIS -> Instant.ofEpochMilli(v);
      case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000);
      case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
    };
    // the date part: formats declare DATE columns, and a day is what a dated event needs
    return t.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
  }

  private static final class Builder extends ParquetReader.Builder<Group> {
    Builder(LocalInputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
