package org.ewarn.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("slow")
class NotebookExportTest extends SparkTest {
  @TempDir Path tmp;

  private NotebookExport.Config config(NotebookExport.Render render) {
    return new NotebookExport.Config(tmp.resolve("out/notebooks-exports").toString(),
        HOME.resolve("notebooks-exports/dictionary.csv"), HOME.resolve("notebooks-exports"),
        render, "jupyter-nbconvert", 600);
  }

  @Test
  void exportsTheMartsWithDictionaryManifestAndExecutedNotebooks() throws IOException {
    Warehouse warehouse = Warehouse.open(tmp.resolve("warehouse").toString());
    BundledMarts.publish(spark(), warehouse, BundledMarts.FORECASTS, "2023", "marts-run");

    NotebookExport.Result result = new NotebookExport(config(NotebookExport.Render.TRUE), Clock.systemUTC())
        .execute(spark(), warehouse, "run-1", LocalDate.of(2026, 11, 26), "abc123", "cfg");

    Path dir = tmp.resolve("out/notebooks-exports/run-1");
    assertThat(result.dir()).isEqualTo(dir.toString());
    assertThat(result.absentMarts())
        .containsExactlyInAnyOrder("risk_forecasts", "backtest_lead_times", "panel_country_year");
    assertThat(result.rows()).containsOnlyKeys(BundledMarts.MARTS);

    // Parquet and CSV each hold exactly the mart's rows and columns.
    for (String mart : BundledMarts.MARTS) {
      Dataset<Row> expected = SparkMarts.read(spark(), warehouse.require(mart));
      Dataset<Row> parquet = spark().read().parquet(dir.resolve(mart + ".parquet").toString());
      Dataset<Row> csv = spark().read().schema(parquet.schema()).option("header", "true")
          .csv(dir.resolve(mart + ".csv").toString());
      assertThat(result.rows().get(mart)).isEqualTo(expected.count());
      assertDataFrameEquals(sorted(expected.select(columns(parquet))), sorted(parquet));
      assertDataFrameEquals(sorted(expected.select(columns(parquet))), sorted(csv));
    }

    // The data dictionary documents every exported column with the contract's meaning and unit.
    List<CSVRecord> dictionary = readCsv(dir.resolve("DATA_DICTIONARY.csv"));
    assertThat(dictionary).hasSize((int) BundledMarts.MARTS.stream()
        .mapToLong(m -> spark().read().parquet(dir.resolve(m + ".parquet").toString()).columns().length).sum());
    CSVRecord missed = dictionary.stream()
        .filter(r -> r.get("table").equals("backtest_cases") && r.get("column").equals("missed"))
        .findFirst().orElseThrow();
    assertThat(missed.get("type")).isEqualTo("boolean");
    assertThat(missed.get("meaning")).startsWith("True when the onset was not flagged");
    assertThat(dictionary.stream().filter(r -> r.get("column").equals("risk_prev")).findFirst().orElseThrow()
        .get("unit")).isEqualTo("probability (0-1)");

    // The manifest records the run, the partitions read and the contract columns the marts lack.
    Manifest manifest = Manifest.parse(Files.readAllBytes(dir.resolve("MANIFEST.json")));
    assertThat(manifest.properties()).containsEntry("run_date", "2026-11-26");
    assertThat(manifest.codeVersion()).isEqualTo("abc123");
    assertThat(manifest.upstream()).anyMatch(u -> u.startsWith("backtest_cases/vintage=2023"));
    assertThat(manifest.warnings()).anyMatch(w -> w.startsWith("risk_trajectories: the mart lacks")
        && w.contains("percentile"));

    // The notebooks ran against this export and reproduce figures computed here from the raw file.
    String scorecard = Files.readString(dir.resolve("notebooks/backtest-scorecard.html"));
    assertThat(scorecard).contains(String.format(Locale.ROOT, "catch_at_30[%s]=%.6f onsets=%d",
        BundledMarts.MODEL, catchAt30(), onsets()));
    String trajectory = Files.readString(dir.resolve("notebooks/country-risk-trajectory.html"));
    assertThat(trajectory).contains(myanmarPeak());
    assertThat(result.notebooks()).hasSize(2);

    assertThat(tmp.resolve("out/notebooks-exports/.run-1.staging")).doesNotExist();
    assertThatThrownBy(() -> new NotebookExport(config(NotebookExport.Render.FALSE), Clock.systemUTC())
        .execute(spark(), warehouse, "run-1", LocalDate.of(2026, 11, 26), "abc123", "cfg"))
        .isInstanceOfSatisfying(StageFailure.class,
            f -> assertThat(f.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG));
  }

  @Test
  void anEmptyWarehouseFailsWithoutLeavingAnExport() {
    Warehouse warehouse = Warehouse.open(tmp.resolve("empty-warehouse").toString());
    assertThatThrownBy(() -> new NotebookExport(config(NotebookExport.Render.FALSE), Clock.systemUTC())
        .execute(spark(), warehouse, "run-2", LocalDate.of(2026, 11, 26), "abc123", "cfg"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("no mart to export");
    assertThat(tmp.resolve("out/notebooks-exports/run-2")).doesNotExist();
    assertThat(tmp.resolve("out/notebooks-exports/.run-2.staging")).doesNotExist();
  }

  @Test
  void aFailingNotebookFailsTheExportNamingItAndStopsTheOnesRunningBesideIt() throws IOException {
    Warehouse warehouse = Warehouse.open(tmp.resolve("warehouse-3").toString());
    BundledMarts.publish(spark(), warehouse, BundledMarts.FORECASTS, "2023", "marts-run");
    Path notebooks = Files.createDirectories(tmp.resolve("notebooks"));
    Files.copy(HOME.resolve("notebooks-exports/backtest-scorecard.ipynb"), notebooks.resolve("backtest-scorecard.ipynb"));
    // sorted first, so it is awaited while the scorecard still runs
    Files.writeString(notebooks.resolve("a-broken.ipynb"), """
        {"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
          "source": ["raise RuntimeError('broken on purpose')"]}],
         "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
         "nbformat": 4, "nbformat_minor": 5}
        """);
    NotebookExport.Config config = new NotebookExport.Config(tmp.resolve("out/notebooks-exports").toString(),
        HOME.resolve("notebooks-exports/dictionary.csv"), notebooks, NotebookExport.Render.TRUE, "jupyter-nbconvert", 600);

    assertThatThrownBy(() -> new NotebookExport(config, Clock.systemUTC())
        .execute(spark(), warehouse, "run-3", LocalDate.of(2026, 11, 26), "abc123", "cfg"))
        .isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.FAILURE))
        .hasMessageContaining("a-broken.ipynb failed").hasMessageContaining("broken on purpose");
    assertThat(tmp.resolve("out/notebooks-exports/run-3")).doesNotExist();
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(h -> h.info().commandLine().orElse("")).filter(c -> c.contains("backtest-scorecard")).toList())
        .as("the notebook running beside the failed one is stopped").isEmpty();
  }

  private static Column[] columns(Dataset<Row> like) {
    return java.util.Arrays.stream(like.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static Dataset<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy(columns(rows));
  }

  private static List<CSVRecord> readCsv(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get().parse(in).getRecords();
    }
  }

  /** The raw bundled rows, read without Spark or the export code. */
  private static List<CSVRecord> rawForecasts() throws IOException {
    try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(BundledMarts.FORECASTS)),
        StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get().parse(in).getRecords();
    }
  }

  private static long onsets() throws IOException {
    return rawForecasts().stream().filter(r -> r.get("mk_onset").equals("1")).count();
  }

  private static double catchAt30() throws IOException {
    long caught = rawForecasts().stream().filter(r -> r.get("mk_onset").equals("1"))
        .filter(r -> !r.get("rank_prev").equals("NA") && Integer.parseInt(r.get("rank_prev")) <= 30).count();
    return (double) caught / onsets();
  }

  private static String myanmarPeak() throws IOException {
    CSVRecord top = rawForecasts().stream().filter(r -> r.get("country").equals("Myanmar (Burma)"))
        .filter(r -> !r.get("risk_prev").equals("NA"))
        .max(java.util.Comparator.comparingDouble(r -> Double.parseDouble(r.get("risk_prev")))).orElseThrow();
    return String.format(Locale.ROOT, "peak[%s] edition=%s risk=%.6f rank=%s", BundledMarts.MODEL,
        top.get("year"), Double.parseDouble(top.get("risk_prev")), top.get("rank_prev"));
  }
}
