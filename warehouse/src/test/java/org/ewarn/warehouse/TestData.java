package org.ewarn.warehouse;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Real rows for the tests: the Early Warning Project's fully out-of-sample forecasts of its 2023
 * edition (jobs/data/ewp, 4,724 country-years, with missing values), as a table of every column
 * type: the risks are null where EWP wrote NA.
 */
final class TestData {
  static final Path HOME = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
  static final Path FORECASTS = HOME.resolve("jobs/data/ewp/out-of-sample-forecasts-2023.csv.gz");

  static final List<Column> COLUMNS = List.of(
      new Column("row_label", Column.Type.STRING, false),
      new Column("year", Column.Type.INT, false),
      Column.of("country", Column.Type.STRING),
      Column.of("ccode", Column.Type.INT),
      Column.of("mk_onset", Column.Type.BOOLEAN),
      Column.of("prev_year_start", Column.Type.DATE),
      Column.of("risk_prev", Column.Type.DOUBLE),
      Column.of("rank_prev", Column.Type.LONG),
      Column.of("risk_two_years_prior", Column.Type.DOUBLE));

  private TestData() {}

  static Table forecasts() {
    List<List<Object>> rows = new ArrayList<>();
    for (CSVRecord r : records(FORECASTS)) {
      rows.add(Arrays.asList(r.get(0), Integer.parseInt(r.get("year")), r.get("country"),
          Integer.parseInt(r.get("ccode")), "1".equals(r.get("mk_onset")),
          LocalDate.of(Integer.parseInt(r.get("prev_year")), 1, 1), number(r.get("risk_prev")),
          "NA".equals(r.get("rank_prev")) ? null : Long.parseLong(r.get("rank_prev")),
          number(r.get("risk_two_years_prior"))));
    }
    return new Table(COLUMNS, rows);
  }

  /** The first {@code n} rows from {@code from} on, as their own table. */
  static Table slice(Table t, int from, int n) {
    return new Table(t.columns(), t.rows().subList(from, Math.min(t.size(), from + n)));
  }

  static List<CSVRecord> records(Path gz) {
    try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get().parse(in).getRecords();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Double number(String s) {
    return "NA".equals(s) ? null : Double.valueOf(s);
  }

  static Manifest manifest(String dataset, String vintage, String runId, String finished) {
    return new Manifest(dataset, vintage, "test", runId, List.of(), List.of(), java.util.Map.of("rows", 1L),
        List.of(), "code", "config", "2026-11-30T00:00:00Z", finished, java.util.Map.of());
  }
}
