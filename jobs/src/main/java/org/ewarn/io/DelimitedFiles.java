package org.ewarn.io;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads delimited text files (plain or gzip, any charset) into records, one Spark task per file.
 * A hand-driven univocity parser rather than Spark's CSV source because quarantine needs each
 * record's starting line number and the fields exactly as read, and quoted fields may span lines
 * (the GED text columns), which Spark's reader cannot split anyway.
 *
 * <p>What a record becomes is the caller's {@link RecordShape}, applied where the file is read.
 * Typing 49 GED columns as Catalyst expressions compiled to one 53 KB method that the JIT refuses
 * to compile, so it ran interpreted and took most of the ingest time; a plain Java function per
 * record does the same work several times faster.
 */
public final class DelimitedFiles {
  /** The raw shape: where a record came from, the declared columns' values and every field as read. */
  public static final RecordShape RAW = new RawShape();

  private DelimitedFiles() {}

  /**
   * How to read one file: its header (already read on the driver) and, for each declared column in
   * order, the header position it comes from (-1 when the file lacks it).
   */
  public record FileLayout(String path, String charset, char delimiter, int headerCount, int[] positions)
      implements Serializable {}

  /**
   * Turns one parsed record into a row of {@link #schema()}. Runs on the executors, so it must be
   * serializable and pure: the same fields always give the same row.
   */
  public interface RecordShape extends Serializable {
    StructType schema();

    InternalRow row(FileLayout layout, UTF8String file, long line, String[] fields);
  }

  /**
   * The header fields of a file, or null when the file has no line at all. A {@code .parquet} file's
   * header is its column names (charset and delimiter do not apply).
   */
  public static String[] header(Path file, Charset charset, char delimiter) {
    if (ParquetRecords.isParquet(file)) {
      return ParquetRecords.header(file);
    }
    CsvParser parser = new CsvParser(settings(delimiter));
    try (Reader reader = open(file, charset)) {
      parser.beginParsing(reader);
      String[] header = parser.parseNext();
      parser.stopParsing();
      return header;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The records of {@code files} (after each header) in the shape's schema. */
  public static Dataset<Row> records(SparkSession spark, List<FileLayout> files, RecordShape shape) {
    return spark.read().format(DelimitedSource.class.getName())
        .option(DelimitedSource.PLAN, DelimitedSource.encode(new DelimitedSource.Plan(List.copyOf(files), shape)))
        .load();
  }

  /**
   * The declared columns' values of every record of a small file, read on the driver as
   * {@link #RAW} reads them (a field the record lacks is null): for lookups of a few hundred rows,
   * where a Spark job would cost more than the reading.
   */
  public static List<String[]> values(FileLayout layout) {
    List<String[]> out = new ArrayList<>();
    try (Cursor records = cursor(layout)) {
      while (records.next()) {
        out.add(declared(layout.positions(), records.fields(), new String[layout.positions().length]));
      }
    }
    return out;
  }

  /** {@code into}, filled with the fields at the declared columns' positions (null where the record lacks one). */
  private static <T> T[] declared(int[] positions, T[] fields, T[] into) {
    for (int i = 0; i < positions.length; i++) {
      int p = positions[i];
      into[i] = p >= 0 && p < fields.length ? fields[p] : null;
    }
    return into;
  }

  static CsvParserSettings settings(char delimiter) {
    CsvParserSettings s = new CsvParserSettings();
    s.getFormat().setDelimiter(delimiter);
    s.getFormat().setQuote('"');
    s.getFormat().setQuoteEscape('"');
    // Not auto-detected: some real files end the header with \r\n and the rows with \n, and
    // detection from the first line would then read the whole file as one record. A stray \r
    // before \n is trailing whitespace and trimmed.
    s.getFormat().setLineSeparator("\n");
    s.setLineSeparatorDetectionEnabled(false);
    s.setMaxCharsPerColumn(-1);
    s.setMaxColumns(4096);
    s.setNullValue(null);
    s.setEmptyValue("");
    s.setSkipEmptyLines(true);
    s.setHeaderExtractionEnabled(false);
    s.setErrorContentLength(200);
    return s;
  }

  static Reader open(Path file, Charset charset) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new InputStreamReader(in, charset);
  }

  /** One file's records after the header, each with the line (Parquet: row) it starts on. */
  interface Cursor extends AutoCloseable {
    boolean next();

    String[] fields();

    long line();

    @Override
    void close();
  }

  static Cursor cursor(FileLayout layout) {
    Path file = Path.of(layout.path());
    return ParquetRecords.isParquet(file) ? new ParquetRecords(file) : new RecordCursor(layout);
  }

  /** Streams one delimited file's records after the header, each with the line it starts on. */
  static final class RecordCursor implements Cursor {
    private final CsvParser parser;
    private final Reader reader;
    private String[] fields;
    private long line;
    private long lastEndLine;

    RecordCursor(FileLayout layout) {
      this.parser = new CsvParser(settings(layout.delimiter()));
      try {
        this.reader = open(Path.of(layout.path()), Charset.forName(layout.charset()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + layout.path(), e);
      }
      parser.beginParsing(reader);
      parser.parseNext(); // header, validated on the driver
      lastEndLine = parser.getContext().currentLine();
    }

    @Override
    public boolean next() {
      fields = parser.parseNext();
      long end = parser.getContext().currentLine();
      line = lastEndLine + 1;
      lastEndLine = end;
      return fields != null;
    }

    @Override
    public String[] fields() {
      return fields;
    }

    @Override
    public long line() {
      return line;
    }

    @Override
    public void close() {
      parser.stopParsing();
      try {
        reader.close();
      } catch (IOException ignored) {
        // already read to the end; nothing to recover
      }
    }
  }

  private static final class RawShape implements RecordShape {
    private static final StructType SCHEMA =
        new StructType()
            .add("source_file", DataTypes.StringType, false)
            .add("source_line", DataTypes.LongType, false)
            .add("field_count", DataTypes.IntegerType, false)
            .add("header_count", DataTypes.IntegerType, false)
            .add("values", DataTypes.createArrayType(DataTypes.StringType, true), false)
            .add("fields", DataTypes.createArrayType(DataTypes.StringType, true), false);

    @Override
    public StructType schema() {
      return SCHEMA;
    }

    @Override
    public InternalRow row(FileLayout layout, UTF8String file, long line, String[] fields) {
      Object[] all = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        all[i] = UTF8String.fromString(fields[i]);
      }
      Object[] values = declared(layout.positions(), all, new Object[layout.positions().length]);
      return new GenericInternalRow(new Object[] {
          file, line, fields.length, layout.headerCount(), new GenericArrayData(values), new GenericArrayData(all)});
    }
  }
}
