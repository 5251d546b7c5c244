package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ewarn.SparkTest;
import org.ewarn.cli.Ewarn;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The back-test commands end to end on the bundled EWP data, checked against the files themselves. */
@org.junit.jupiter.api.Tag("slow")
class CommandsOnRealDataTest extends SparkTest {
  static final Path EWP_2023 = HOME.resolve("jobs/data/ewp/out-of-sample-forecasts-2023.csv.gz");
  static final Path PREDICTORS = HOME.resolve("jobs/data/ewp/prepared-predictors-2025.csv.gz");

  static final Path EWP_2015 = HOME.resolve("jobs/data/ewp/ex-ante-forecast-history-2015.csv.gz");

  /** One warehouse for the class, filled by the real ingest stage with the EWP sources and crosswalks. */
  static Path warehouseRoot;
  @TempDir Path tmp;

  @BeforeEach
  void ingestOnce() throws IOException {
    if (warehouseRoot == null) {
      Path root = Files.createTempDirectory("ewarn-backtest-warehouse");
      warehouseRoot = root;
      run("ingest", "--source", "ewp-predictors", "--source", "ewp-episodes");
    }
  }

  private JsonNode run(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "warehouse.root=\"" + warehouseRoot + "\"", "--set",
        "backtest.output-dir=\"" + tmp.resolve("out") + "\""));
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    System.err.println("ewarn " + String.join(" ", all));
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Ewarn.run(all.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(code).as(summary.toString()).isZero();
    return summary;
  }

  static List<CSVRecord> csv(Path file) throws IOException {
    boolean gz = file.toString().endsWith(".gz");
    try (Reader r = new InputStreamReader(gz ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
        StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get()
          .parse(r).getRecords();
    }
  }

  static CSVRecord only(List<CSVRecord> rows, String column, String value, String column2, String value2) {
    List<CSVRecord> hits = rows.stream().filter(r -> r.get(column).equals(value) && r.get(column2).equals(value2)).toList();
    assertThat(hits).as(column + "=" + value + ", " + column2 + "=" + value2).hasSize(1);
    return hits.get(0);
  }

  @Test
  void scoreForecastsOnTheEwp2023BacktestFile() throws IOException {
    JsonNode summary = run("score-forecasts", EWP_2023.toString(), "--source", "ewp_2023");
    assertThat(summary.get("status").asText()).isEqualTo("ok");

    // independent computation from the two CSV files: onsets from the 2025 predictors, warnings
    // (maxrisk2, minrank2) from the 2023 file, rows without a maxrisk2 not scored
    Map<String, String> onset = new HashMap<>();
    for (CSVRecord r : csv(PREDICTORS)) {
      onset.put(r.get("year") + "/" + r.get("ccode"), r.get("mk_onset"));
    }
    int onsets = 0;
    int top30 = 0;
    int scored = 0;
    for (CSVRecord r : csv(EWP_2023)) {
      String y = onset.get(r.get("year") + "/" + r.get("ccode"));
      if (r.get("maxrisk2").equals("NA") || y == null) {
        continue;
      }
      scored++;
      if (Double.parseDouble(y) == 1) {
        onsets++;
        if (Integer.parseInt(r.get("minrank2")) <= 30) {
          top30++;
        }
      }
    }
    List<CSVRecord> metrics = csv(Path.of(summary.get("outputs").get("metrics").asText()));
    CSVRecord pooled = only(metrics, "scope", "pooled", "model", "ewp_2023");
    assertThat(pooled.get("protocol")).isEqualTo("external");
    assertThat(Long.parseLong(pooled.get("rows"))).isEqualTo(scored);
    assertThat(Long.parseLong(pooled.get("onsets"))).isEqualTo(onsets);
    assertThat(Double.parseDouble(pooled.get("recall_at_30"))).isCloseTo((double) top30 / onsets, within(1e-12));
    assertThat(Double.parseDouble(pooled.get("auc"))).isBetween(0.7, 0.95);
    assertThat(Double.parseDouble(pooled.get("auc_lower"))).isLessThan(Double.parseDouble(pooled.get("auc")));
    assertThat(summary.get("counts").get("unmatched_rows").asLong()).isPositive(); // rows without maxrisk2

    // real cases, read off the file by hand (rank_prev = made the year before, rank_two_years_prior
    // = two years before); flagged = rank ≤ 30 or risk ≥ 4 %
    List<CSVRecord> cases = csv(Path.of(summary.get("outputs").get("cases").asText()));
    CSVRecord ethiopia = only(cases, "ccode", "530", "onset_year", "2015");
    assertThat(List.of(ethiopia.get("rank_1_before"), ethiopia.get("rank_2_before"), ethiopia.get("flagged_1_before"),
        ethiopia.get("flagged_2_before"), ethiopia.get("missed"))).containsExactly("6", "6", "true", "true", "false");
    CSVRecord libya = only(cases, "ccode", "620", "onset_year", "2011");
    assertThat(List.of(libya.get("rank_1_before"), libya.get("rank_2_before"), libya.get("lead_time"),
        libya.get("missed"), libya.get("first_crossing"))).containsExactly("99", "99", "0", "true", "NA");
    CSVRecord myanmar = only(cases, "ccode", "775", "onset_year", "2016");
    assertThat(List.of(myanmar.get("rank_1_before"), myanmar.get("rank_2_before"), myanmar.get("missed")))
        .containsExactly("41", "36", "true");
    assertThat(myanmar.get("episode_name")).isNotEqualTo("NA");
    // Pakistan 2001: the lead time counted off the file, not the output: row Y's risk_prev/rank_prev
    // is the forecast made in Y − 1; walk back from 2001 while it is flagged (rank ≤ 30 or risk ≥ 4 %)
    Map<String, CSVRecord> pakistanRows = new HashMap<>();
    for (CSVRecord r : csv(EWP_2023)) {
      if (r.get("ccode").equals("770")) {
        pakistanRows.put(r.get("year"), r);
      }
    }
    int lead = 0;
    for (int y = 2001; ; y--) {
      CSVRecord r = pakistanRows.get(Integer.toString(y));
      if (r == null || r.get("risk_prev").equals("NA")
          || !(Integer.parseInt(r.get("rank_prev")) <= 30 || Double.parseDouble(r.get("risk_prev")) >= 0.04)) {
        break;
      }
      lead++;
    }
    assertThat(lead).as("the file flags Pakistan in the years before 2001").isGreaterThanOrEqualTo(2);
    CSVRecord pakistan = only(cases, "ccode", "770", "onset_year", "2001");
    assertThat(pakistan.get("lead_time")).isEqualTo(Integer.toString(lead));
    assertThat(pakistan.get("first_crossing")).isEqualTo(Integer.toString(2001 - lead));

    long leadSum = csv(Path.of(summary.get("outputs").get("lead_times").asText())).stream()
        .mapToLong(r -> Long.parseLong(r.get("cases"))).sum();
    assertThat(leadSum).isEqualTo(cases.size());
    assertThat(Warehouse.open(warehouseRoot.toString()).latest("backtest_metrics")).isPresent();
  }

  @Test
  void annualBacktestWritesTheWarningsTableInTheEwpShape() throws IOException {
    JsonNode summary = run("backtest", "--protocol", "annual", "--model", "elastic_net",
        "--set", "backtest.annual.first-origin=2019", "--set", "backtest.metrics.bootstrap-replicates=50");
    Path warnings = Path.of(summary.get("outputs").get("warnings").asText());
    assertThat(Files.readAllLines(warnings).get(0)).isEqualTo(
        "model,year,country,ccode,mk_onset,risk_prev,rank_prev,risk_two_years_prior,rank_two_years_prior,maxrisk2,minrank2");
    List<CSVRecord> rows = csv(warnings);
    // forecasts made 2021…2023 (origins 2019…2021): warnings for 2022 on have a forecast
    CSVRecord y2023 = rows.stream().filter(r -> r.get("year").equals("2023") && r.get("ccode").equals("2"))
        .findFirst().orElseThrow();
    assertThat(Double.parseDouble(y2023.get("maxrisk2"))).isEqualTo(
        Math.max(Double.parseDouble(y2023.get("risk_prev")), Double.parseDouble(y2023.get("risk_two_years_prior"))));
    assertThat(Integer.parseInt(y2023.get("minrank2"))).isEqualTo(
        Math.min(Integer.parseInt(y2023.get("rank_prev")), Integer.parseInt(y2023.get("rank_two_years_prior"))));
    assertThat(rows.stream().filter(r -> r.get("year").equals("2000")).allMatch(r -> r.get("maxrisk2").equals("NA")))
        .isTrue();
    List<CSVRecord> metrics = csv(Path.of(summary.get("outputs").get("metrics").asText()));
    List<CSVRecord> ownSample = metrics.stream().filter(r -> r.get("sample").equals("own")).toList();
    assertThat(only(ownSample, "scope", "pooled", "model", "elastic_net").get("protocol")).isEqualTo("annual");
    // forecasts for 2021-2023 share no year with EWP's 2013-2015 ex-ante history: the common
    // sample is empty and says so with zero rows, never with figures
    List<CSVRecord> common = metrics.stream().filter(r -> r.get("sample").equals("common")).toList();
    assertThat(common).allSatisfy(r -> {
      assertThat(r.get("rows")).isEqualTo("0");
      assertThat(r.get("auc")).isEqualTo("NA");
    });
    JsonNode props = new ObjectMapper().readTree(Path.of(Warehouse.open(warehouseRoot.toString()).latest("backtest_warnings")
        .orElseThrow().location(), "_MANIFEST.json").toFile()).get("properties");
    assertThat(props.get("model.elastic_net.alpha").asText()).isEqualTo("0.5");
    assertThat(props.get("model.elastic_net.folds").asText()).isEqualTo("10");
    assertThat(props.get("protocol.bootstrap").asText()).startsWith("50 replicates");
    Warehouse w = Warehouse.open(warehouseRoot.toString());
    for (String mart : List.of("backtest_warnings", "backtest_metrics", "backtest_cases", "backtest_lead_times",
        "backtest_curves")) {
      assertThat(w.latest(mart)).as(mart).isPresent();
    }
    assertThat(spark().read().parquet(w.latest("backtest_warnings").orElseThrow().location()).count())
        .isEqualTo(rows.size());
  }

  @Test
  void aRegistryBaselineRunsThroughTheAnnualProtocol() throws IOException {
    JsonNode summary = run("backtest", "--protocol", "annual", "--model", "baseline_history",
        "--set", "backtest.annual.first-origin=2019", "--set", "backtest.metrics.bootstrap-replicates=20");
    // independent: baseline_history's risk for a country with mk_ever > 0, trained on years ≤ 2019
    // = share of mk_onset_1or2 among those rows of the raw predictors file
    double onsets = 0;
    double rows = 0;
    for (CSVRecord r : csv(PREDICTORS)) {
      if (Integer.parseInt(r.get("year")) <= 2019 && !r.get("mk_ever").equals("NA") && !r.get("mk_onset_1or2").equals("NA")
          && Double.parseDouble(r.get("mk_ever")) > 0) {
        rows++;
        onsets += Double.parseDouble(r.get("mk_onset_1or2"));
      }
    }
    List<CSVRecord> warnings = csv(Path.of(summary.get("outputs").get("warnings").asText()));
    // Sudan (625) has had mass killings: its forecast made in 2021 (origin 2019) is the warning's risk_prev for 2022
    CSVRecord sudan = only(warnings, "year", "2022", "ccode", "625");
    assertThat(sudan.get("model")).isEqualTo("baseline_history");
    assertThat(Double.parseDouble(sudan.get("risk_prev"))).isCloseTo(onsets / rows, within(1e-12));
    Path manifest = Path.of(Warehouse.open(warehouseRoot.toString()).latest("backtest_metrics").orElseThrow().location(), "_MANIFEST.json");
    JsonNode props = new ObjectMapper().readTree(manifest.toFile()).get("properties");
    assertThat(props.get("protocol.name").asText()).startsWith("annual");
    assertThat(props.get("protocol.origins").asText()).contains("2019–2021 (3 origins)");
    assertThat(props.has("citation.ewp")).isTrue();
    assertThat(props.has("model.elastic_net.alpha")).isFalse(); // the elastic net did not run
  }

  @Test
  void scoreForecastsOnThePitfCodedExAnteHistory() throws IOException {
    JsonNode summary = run("score-forecasts", EWP_2015.toString());
    JsonNode counts = summary.get("counts");
    assertThat(counts.get("matched_rows").asLong() + counts.get("unmatched_rows").asLong()).isEqualTo(491);
    assertThat(counts.get("matched_rows").asLong()).isGreaterThan(470);
    List<CSVRecord> unmatched = csv(Path.of(summary.get("outputs").get("unmatched").asText()));
    assertThat(unmatched).hasSize((int) counts.get("unmatched_rows").asLong());
    // every row of the file without a mean.p is unmatched as no_risk (counted off the file)
    long naRisk = csv(EWP_2015).stream().filter(r -> r.get("mean.p").equals("NA")).count();
    assertThat(unmatched.stream().filter(r -> r.get("reason").equals("no_risk")).count()).isEqualTo(naRisk);

    // the Central African Republic's 2013 onset: its rank among the 2013 forecasts (made in 2012),
    // worked out from the file by sorting mean.p
    List<CSVRecord> file = csv(EWP_2015);
    double car = file.stream().filter(r -> r.get("sftgcode").equals("CEN") && r.get("forecast.year").equals("2013"))
        .mapToDouble(r -> Double.parseDouble(r.get("mean.p"))).findFirst().orElseThrow();
    long higher = file.stream().filter(r -> r.get("forecast.year").equals("2013") && !r.get("mean.p").equals("NA"))
        .filter(r -> Double.parseDouble(r.get("mean.p")) > car).count();
    List<CSVRecord> cases = csv(Path.of(summary.get("outputs").get("cases").asText()));
    CSVRecord carCase = only(cases, "ccode", "482", "onset_year", "2013");
    assertThat(Integer.parseInt(carCase.get("rank_1_before"))).isEqualTo(higher + 1);
    assertThat(Double.parseDouble(carCase.get("risk_1_before"))).isEqualTo(car);
    assertThat(carCase.get("rank_2_before")).isEqualTo("NA"); // no forecast for 2012 in the file
  }
}
