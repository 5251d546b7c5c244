package org.ewarn.nightly;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ewarn nightly} as a scheduler starts it: a separate JVM on the packaged jar (so it runs in
 * verify, after package). All six stages run end to end on the bundled data; a second run while
 * one holds the lock exits 4 naming the holder. Kills and restarts: {@link NightlyKillHarnessIT}.
 */
@org.junit.jupiter.api.Tag("slow")
class NightlyProcessIT extends SparkTest {
  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopProcesses() {
    started.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  @Test
  void allSixStagesRunEndToEndOnTheBundledData() throws Exception {
    NightlyChild.Reference run = NightlyChild.reference();
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(lastLine(run.stdout())).contains("\"status\":\"ok\"").contains("\"command\":\"nightly\"");
    assertThat(run.seconds().keySet()).as("stages done, in order").containsExactlyElementsOf(NightlyChild.SIX_STAGES);

    Warehouse wh = Warehouse.open(run.warehouse().toString());
    for (String mart : List.of("ged_events", "ucdp_ged_cm", "ucdp_ov_cy", "panel_country_year", "panel_country_month",
        "risk_forecasts", "risk_trajectories", "backtest_metrics", "backtest_monthly_metrics")) {
      assertThat(wh.partitions(mart)).as(mart + " published").isNotEmpty();
    }
    // the model Appendix A publishes is one the back-test scored, beside a baseline and an external source
    Partition forecasts = wh.require("risk_forecasts");
    String primary = forecasts.manifest().properties().get("primary_model");
    assertThat(primary).isNotBlank();
    Dataset<Row> metrics = SparkMarts.read(spark(), wh.require("backtest_metrics"));
    List<String> scored = metrics.select("model").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(scored).contains(primary, "baseline_history", "ewp_backtest_2023");
    // the monthly back-test scored onsets (it scored none before the global series)
    assertThat(SparkMarts.read(spark(), wh.require("backtest_monthly_metrics")).where(col("model").equalTo("elastic_net"))
        .count()).isPositive();

    RunPointer latest = RunPointer.read(Storage.open(run.out().toString())).orElseThrow();
    Path export = Path.of(latest.outputs().get("export.notebooks_export"));
    assertThat(export.resolve("risk_forecasts.csv")).isRegularFile();
    // a rendered PDF prints the risk of the country the primary model ranks first (the reports
    // name countries from the countries mart, e.g. "Myanmar" for the forecast's "Myanmar (Burma)")
    Row top = SparkMarts.read(spark(), forecasts).where(col("model").equalTo(primary).and(col("horizon").equalTo(2)))
        .orderBy(col("rank")).first();
    String country = top.getAs("country");
    String risk = String.format(java.util.Locale.ROOT, "%.2f", ((Number) top.getAs("risk")).doubleValue() * 100);
    List<Path> pdfs;
    try (Stream<Path> walk = Files.walk(run.out().resolve("reports"))) {
      pdfs = walk.filter(p -> p.toString().endsWith(".pdf")).toList();
    }
    assertThat(pdfs).as("report PDFs").isNotEmpty();
    boolean anyPrintsTopRisk = false;
    for (Path pdf : pdfs) {
      Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("pdftotext " + pdf).isZero();
      assertThat(text.strip()).as(pdf + " has text").isNotEmpty();
      anyPrintsTopRisk |= text.contains(risk);
    }
    assertThat(anyPrintsTopRisk).as("a report prints " + risk + " %, the risk of " + country + ", ranked first by "
        + primary).isTrue();
  }

  @Test
  void aSecondRunExitsFourAtOnceNamingTheHolder() throws Exception {
    Path root = tmp.resolve("locked");
    try (RunLock held = Warehouse.open(root.resolve("warehouse").toString()).lock("nightly", "nightly run by the lock test")) {
      Process p = NightlyChild.start(root, "second",
          NightlyChild.nightly(root, List.of("ingest", "backtest", "export"), NightlyChild.ciSize()), Map.of());
      started.add(p);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a locked run does not wait for the lock").isTrue();
      assertThat(p.exitValue()).isEqualTo(4);
      String summary = lastLine(Files.readString(root.resolve("second.out")));
      assertThat(summary).contains("\"status\":\"locked\"")
          .contains("pid " + ProcessHandle.current().pid()).contains("nightly run by the lock test");
      assertThat(Files.readString(root.resolve("second.err"))).contains("another run holds the lock");
    }
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
