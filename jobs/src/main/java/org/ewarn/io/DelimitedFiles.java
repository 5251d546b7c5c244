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
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads delimited text files (plain or gzip, any charset) into raw records, one Spark task per
 * file. A hand-driven univocity parser rather than Spark's CSV source because quarantine needs
 * each record's starting line number and the fields exactly as read, and quoted fields may span
 * lines (the GED text columns), which Spark's reader cannot split anyway.
 */
public final class DelimitedFiles {
  /** Raw record: where it came from, the declared columns' values, and every field as read. */
  public static final StructType RECORD_SCHEMA =
      new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_line", DataTypes.LongType, false)
          .add("field_count", DataTypes.IntegerType, false)
          .add("header_count", DataTypes.IntegerType, false)
          .add("values", DataTypes.createArrayType(DataTypes.StringType, true), false)
          .add("fields", DataTypes.createArrayType(DataTypes.StringType, true), false);

  private DelimitedFiles() {}

  /**
   * How to read one file: its header (already read on the driver) and, for each declared column in
   * order, the header position it comes from (-1 when the file lacks it).
   */
  public record FileLayout(String path, String charset, char delimiter, int headerCount, int[] positions)
      implements Serializable {}

  /** The header fields of a file, or null when the file has no line at all. */
  public static String[] header(Path file, Charset charset, char delimiter) {
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

  public static Dataset<Row> records(SparkSession spark, List<FileLayout> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Row> rows =
        jsc.parallelize(files, Math.max(1, files.size()))
            .mapPartitions(
                layouts -> {
                  Iterator<FileLayout> it = layouts;
                  return new Iterator<Row>() {
                    RecordIterator current;

                    @Override
                    public boolean hasNext() {
                      while (current == null || !current.hasNext()) {
                        if (current != null) {
                          current.close();
                        }
                        if (!it.hasNext()) {
                          return false;
                        }
                        current = new RecordIterator(it.next());
                      }
                      return true;
                    }

                    @Override
                    public Row next() {
                      if (!hasNext()) {
                        throw new NoSuchElementException();
                      }
                      return current.next();
                    }
                  };
                });
    return spark.createDataFrame(rows, RECORD_SCHEMA);
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

  /** Streams one file's records after the header. */
  private static final class RecordIterator implements Iterator<Row>, AutoCloseable {
    private final FileLayout layout;
    private final CsvParser parser;
    private final Reader reader;
    private String[] nextRecord;
    private long nextLine;
    private long lastEndLine;

    RecordIterator(FileLayout layout) {
      this.layout = layout;
      this.parser = new CsvParser(settings(layout.delimiter()));
      try {
        this.reader = open(Path.of(layout.path()), Charset.forName(layout.charset()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + layout.path(), e);
      }
      parser.beginParsing(reader);
      parser.parseNext(); // header, validated on the driver
      lastEndLine = parser.getContext().currentLine();
      advance();
    }

    private void advance() {
      nextRecord = parser.parseNext();
      long end = parser.getContext().currentLine();
      nextLine = lastEndLine + 1;
      lastEndLine = end;
    }

    @Override
    public boolean hasNext() {
      return nextRecord != null;
    }

    @Override
    public Row next() {
      String[] fields = nextRecord;
      long line = nextLine;
      advance();
      int[] positions = layout.positions();
      String[] values = new String[positions.length];
      for (int i = 0; i < positions.length; i++) {
        int p = positions[i];
        values[i] = p >= 0 && p < fields.length ? fields[p] : null;
      }
      return RowFactory.create(
          layout.path(), line, fields.length, layout.headerCount(), values, fields);
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
}
