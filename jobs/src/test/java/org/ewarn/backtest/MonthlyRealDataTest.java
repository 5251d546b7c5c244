package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.cli.Ewarn;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default monthly back-test as a user runs it ({@code ewarn backtest --protocol monthly}) on a
 * real-size panel: the global UCDP country-month series (every country, 1989-01 … 2021-06) in the
 * shape of panel_country_month, published into a warehouse under jobs/target/bench/monthly (the
 * monthly benchmark of BENCHMARKS.md times the command on it afterwards). Slow: 18 refits of the
 * default models (the elastic net and two baselines; the MLlib forest runs by name only, and
 * {@link MonthlyLeakageTest} fits it).
 */
class MonthlyRealDataTest extends SparkTest {
  static final Path BENCH = HOME.resolve("jobs/target/bench/monthly");

  /** The fixture panel published as panel_country_month in {@code root} (replacing what was there). */
  static Warehouse publish(org.apache.spark.sql.SparkSession spark, Path root) throws Exception {
    if (Files.exists(root)) {
      org.apache.hadoop.fs.FileUtil.fullyDelete(root.toFile());
    }
    Warehouse w = Warehouse.open(root.toString());
    Dataset<Row> panel = MonthlyPanelFixture.panel(spark, HOME);
    Manifest m = new Manifest("panel_country_month", "views-1989-2021", "test-fixture", "fixture", List.of(), List.of(),
        Map.of("rows", panel.count()), List.of(), "test", "test", Instant.now().toString(), Instant.now().toString(),
        Map.of());
    SparkMarts.publish(w, "panel_country_month", "views-1989-2021", panel, m);
    return w;
  }

  @Test
  @Tag("slow")
  void defaultProtocolScoresOverAHundredOnsetsOnTheGlobalSeries() throws Exception {
    Path root = BENCH.resolve("warehouse");
    publish(spark(), root);
    Path out = BENCH.resolve("out");
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      List<String> args = new ArrayList<>(List.of("backtest", "--protocol", "monthly", "--set",
          "warehouse.root=\"" + root + "\"", "--set", "backtest.output-dir=\"" + out + "\""));
      // -Dmonthly.models=[...] runs other models (e.g. [elastic_net, random_forest] to time the forest)
      if (System.getProperty("monthly.models") != null) {
        args.addAll(List.of("--set", "backtest.monthly.models=" + System.getProperty("monthly.models")));
      }
      code = Ewarn.run(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String json = captured.toString(StandardCharsets.UTF_8);
    System.err.println(json);
    assertThat(code).as(json).isZero();
    assertThat(json).contains("\"onsets\"");
    long onsets = Long.parseLong(json.replaceAll("(?s).*\"onsets\"\\s*:\\s*(\\d+).*", "$1"));
    assertThat(onsets).isGreaterThanOrEqualTo(100);

    Path metrics;
    try (Stream<Path> files = Files.walk(out)) {
      metrics = files.filter(p -> p.getFileName().toString().equals("metrics.csv")).findFirst().orElseThrow();
    }
    List<CSVRecord> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(metrics)) {
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).forEach(rows::add);
    }
    for (String model : rows.stream().map(x -> x.get("model")).distinct().toList()) {
      for (int lead = 1; lead <= 12; lead++) {
        String scope = "lead_" + lead;
        CSVRecord row = rows.stream().filter(x -> x.get("model").equals(model) && x.get("scope").equals(scope))
            .findFirst().orElseThrow();
        System.err.printf("%s %s auc=%s aupr=%s brier=%s skill=%s onsets=%s%n", model, scope, row.get("auc"),
            row.get("aupr"), row.get("brier"), row.get("brier_skill"), row.get("onsets"));
      }
    }
    CSVRecord net = rows.stream().filter(x -> x.get("model").equals("elastic_net") && x.get("scope").equals("pooled"))
        .findFirst().orElseThrow();
    // violence history ranks the months of escalation far above chance
    assertThat(Double.parseDouble(net.get("auc"))).isGreaterThan(0.75);
  }
}
