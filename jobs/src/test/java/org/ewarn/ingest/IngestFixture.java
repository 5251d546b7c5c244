package org.ewarn.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.warehouse.Warehouse;

/**
 * Runs the real ingest action against a temporary warehouse, and reads the bundled CSVs
 * independently with commons-csv so tests compare the pipeline with a second opinion. Public for
 * the tests of later stages that need an ingested warehouse on the shared test session.
 */
public final class IngestFixture {
  static final Path HOME = Settings.home();
  static final Path DATA = HOME.resolve("jobs/data");

  private IngestFixture() {}

  static Settings settings(Path warehouse, String... sets) {
    return settings(warehouse.toString(), sets);
  }

  /** {@code warehouse}: a local path or a URI ({@code hdfs://…}). */
  static Settings settings(String warehouse, String... sets) {
    List<String> all = new ArrayList<>();
    all.add("warehouse.root=\"" + warehouse + "\"");
    all.addAll(List.of(sets));
    return Settings.load(HOME, null, all);
  }

  public static IngestAction.Result ingest(SparkSession spark, Path warehouse, Set<String> sources, String... sets) {
    Settings s = settings(warehouse, sets);
    IngestConfig config = IngestConfig.from(s, sources);
    return new IngestAction(new IngestAction.Config(config, s.sparkProfile(), "test-" + System.nanoTime()))
        .execute(spark, Warehouse.open(warehouse.toString()));
  }

  /** As {@link #ingest}, with sources above {@code smallSourceBytes} read the way large ones are. */
  static IngestAction.Result ingest(SparkSession spark, Path warehouse, Set<String> sources, long smallSourceBytes,
      String... sets) {
    Settings s = settings(warehouse, sets);
    IngestConfig config = IngestConfig.from(s, sources);
    return new IngestAction(new IngestAction.Config(config, s.sparkProfile(), "test-" + System.nanoTime()), smallSourceBytes)
        .execute(spark, Warehouse.open(warehouse.toString()));
  }

  static IngestAction.SourceOutcome outcome(IngestAction.Result r, String source) {
    return r.sources().stream().filter(o -> o.source().equals(source)).findFirst().orElseThrow();
  }

  /** Every record of a bundled file, parsed by commons-csv (the independent reading). */
  static List<CSVRecord> records(Path file, Charset charset) {
    try (Reader reader = open(file, charset);
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true).get().parse(reader)) {
      return parser.getRecords();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of a Parquet file from its footer's row-group counts (independent of the record reader). */
  static long parquetRows(Path file) {
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(file))) {
      return reader.getRecordCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records of a bundled file by an independent reading: commons-csv, or the Parquet footer. */
  static long recordCount(Path file, Charset charset) {
    return file.toString().endsWith(".parquet") ? parquetRows(file) : records(file, charset).size();
  }

  static List<CSVRecord> records(Path file) {
    return records(file, StandardCharsets.UTF_8);
  }

  static Reader open(Path file, Charset charset) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new InputStreamReader(in, charset);
  }
}
