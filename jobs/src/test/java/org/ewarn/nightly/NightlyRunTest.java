package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.export.BundledMarts;
import org.ewarn.cli.ExportStage;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly runner with the real export stage behind a stage that publishes marts from the
 * bundled EWP out-of-sample forecasts (a subset by year, so a test can "receive new data").
 */
@org.junit.jupiter.api.Tag("slow")
class NightlyRunTest extends SparkTest {
  @TempDir Path tmp;

  /** Publishes the bundled-forecast marts; its input is the (copied) forecasts file. */
  record MartsStage(Path csv) implements Stage {
    @Override
    public String name() {
      return "marts";
    }

    @Override
    public List<String> configSections() {
      return List.of();
    }

    @Override
    public List<Path> inputFiles(Settings settings) {
      return List.of(csv);
    }

    @Override
    public StageOutcome run(StageContext context) {
      Warehouse warehouse = Warehouse.open(context.settings().location("warehouse.root"));
      String vintage = Checksums.sha256(csv).substring(0, 12);
      Map<String, String> outputs = BundledMarts.publish(
          org.apache.spark.sql.SparkSession.active(), warehouse, csv, vintage, context.runId());
      return new StageOutcome(outputs, Map.of("marts", (long) outputs.size()));
    }
  }

  /** Fails while its marker file exists; remembers which run latest.json named while it ran. */
  static final class GateStage implements Stage {
    final Path closedMarker;
    final List<String> latestSeen = new ArrayList<>();

    GateStage(Path closedMarker) {
      this.closedMarker = closedMarker;
    }

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public List<String> configSections() {
      return List.of();
    }

    @Override
    public StageOutcome run(StageContext context) {
      latestSeen.add(RunPointer.read(Storage.open(context.settings().location("output.root")))
          .map(RunPointer::runId).orElse("none"));
      if (Files.exists(closedMarker)) {
        throw StageFailure.qualityGate("gate closed by " + closedMarker);
      }
      return new StageOutcome(Map.of(), Map.of());
    }
  }

  private Settings settings(Path root, String... more) {
    List<String> sets = new ArrayList<>(List.of(
        "warehouse.root=" + root.resolve("warehouse"),
        "output.root=" + root.resolve("out"),
        "export.notebooks.render=false"));
    sets.addAll(List.of(more));
    return Settings.load(HOME, null, sets);
  }

  private NightlyRun.Result run(Path root, String runId, List<Stage> stages, int keepRuns,
      String codeVersion, String... sets) {
    Settings settings = settings(root, sets);
    NightlyRun.Config config = new NightlyRun.Config(stages.stream().map(Stage::name).toList(),
        settings.location("nightly.state-dir"), settings.location("warehouse.root"), settings.location("output.root"),
        keepRuns, LocalDate.of(2026, 11, 26), false);
    Map<String, Stage> available = new java.util.LinkedHashMap<>();
    stages.forEach(s -> available.put(s.name(), s));
    return new NightlyRun(config, settings, available, codeVersion, Clock.systemUTC(), System.err).execute(runId);
  }

  private static List<String> statuses(NightlyRun.Result r) {
    return r.stages().stream().map(s -> s.stage() + "=" + s.status()).toList();
  }

  /** A real subset of the bundled forecasts: every country-year up to {@code maxYear}. */
  static void writeForecasts(Path target, int maxYear) throws IOException {
    Files.createDirectories(target.getParent());
    try (var in = new java.io.BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(BundledMarts.FORECASTS)), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(target)), StandardCharsets.UTF_8)) {
      out.write(in.readLine() + "\n");
      for (String line; (line = in.readLine()) != null; ) {
        CSVRecord r = CSVFormat.DEFAULT.parse(new java.io.StringReader(line)).getRecords().get(0);
        if (Integer.parseInt(r.get(1)) <= maxYear) {
          out.write(line + "\n");
        }
      }
    }
  }

  static long onsetsUpTo(int maxYear) throws IOException {
    try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(BundledMarts.FORECASTS)),
        StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get().parse(in).stream()
          .filter(r -> Integer.parseInt(r.get("year")) <= maxYear && r.get("mk_onset").equals("1")).count();
    }
  }

  private static Path exportOf(NightlyRun.Result r) {
    return Path.of(r.latest().outputs().get("export.notebooks_export"));
  }

  private static long csvRows(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count() - 1;
    }
  }

  @Test
  void skipsUnchangedStagesAndRerunsWhatChanged() throws IOException {
    Path data = tmp.resolve("in/forecasts.csv.gz");
    writeForecasts(data, 2010);
    List<Stage> stages = List.of(new MartsStage(data), new ExportStage(Clock.systemUTC()));

    NightlyRun.Result first = run(tmp, "r1", stages, 7, "code-a");
    assertThat(statuses(first)).containsExactly("marts=ran", "export=ran");
    assertThat(first.published()).isTrue();
    Path latestFile = tmp.resolve("out/latest.json");
    byte[] latest = Files.readAllBytes(latestFile);
    assertThat(csvRows(exportOf(first).resolve("backtest_cases.csv"))).isEqualTo(onsetsUpTo(2010));

    NightlyRun.Result again = run(tmp, "r2", stages, 7, "code-a");
    assertThat(statuses(again)).containsExactly("marts=skipped", "export=skipped");
    assertThat(again.published()).isFalse();
    assertThat(again.stages()).allMatch(s -> s.producedByRun().equals("r1"));
    assertThat(Files.readAllBytes(latestFile)).isEqualTo(latest);
    try (Stream<Path> exports = Files.list(tmp.resolve("out/notebooks-exports"))) {
      assertThat(exports.toList()).containsExactly(exportOf(first));
    }

    NightlyRun.Result configChanged = run(tmp, "r3", stages, 7, "code-a",
        "export.notebooks.timeout-seconds=900");
    assertThat(statuses(configChanged)).containsExactly("marts=skipped", "export=ran");
    assertThat(configChanged.latest().runId()).isEqualTo("r3");

    writeForecasts(data, 2012);
    NightlyRun.Result newData = run(tmp, "r4", stages, 7, "code-a", "export.notebooks.timeout-seconds=900");
    assertThat(statuses(newData)).containsExactly("marts=ran", "export=ran");
    assertThat(csvRows(exportOf(newData).resolve("backtest_cases.csv"))).isEqualTo(onsetsUpTo(2012));
    assertThat(onsetsUpTo(2012)).isGreaterThan(onsetsUpTo(2010));

    NightlyRun.Result newCode = run(tmp, "r5", stages, 7, "code-b", "export.notebooks.timeout-seconds=900");
    assertThat(statuses(newCode)).containsExactly("marts=ran", "export=ran");
  }

  /** Stores a model in the folder its configuration section names (forecast.models-dir), as forecast does. */
  record ModelWriter(boolean declaresFolder) implements Stage {
    @Override
    public String name() {
      return "models";
    }

    @Override
    public List<String> configSections() {
      return List.of("forecast");
    }

    @Override
    public List<Path> writes(Settings settings) {
      return declaresFolder ? List.of(settings.path("forecast.models-dir")) : List.of();
    }

    @Override
    public StageOutcome run(StageContext context) {
      Path dir = context.settings().path("forecast.models-dir");
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model-" + context.runId() + ".json"), "{}");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new StageOutcome(Map.of("models", dir.toString()), Map.of());
    }
  }

  @Test
  void whatAStageWritesIsNotItsInputTheNextNight() {
    String models = "forecast.models-dir=" + tmp.resolve("models");
    assertThat(statuses(run(tmp.resolve("a"), "r1", List.of(new ModelWriter(true)), 7, "c", models)))
        .containsExactly("models=ran");
    assertThat(statuses(run(tmp.resolve("a"), "r2", List.of(new ModelWriter(true)), 7, "c", models)))
        .containsExactly("models=skipped");
    // the same stage without declaring its folder would read its own output as new input
    String others = "forecast.models-dir=" + tmp.resolve("models-b");
    run(tmp.resolve("b"), "r1", List.of(new ModelWriter(false)), 7, "c", others);
    assertThat(statuses(run(tmp.resolve("b"), "r2", List.of(new ModelWriter(false)), 7, "c", others)))
        .containsExactly("models=ran");
  }

  @Test
  void aFailedRunKeepsTheOldOutputsAndTheRerunResumesAtTheFailedStage() throws IOException {
    Path root = tmp.resolve("interrupted");
    Path data = root.resolve("in/forecasts.csv.gz");
    Path closed = root.resolve("gate-closed");
    GateStage gate = new GateStage(closed);
    List<Stage> stages = List.of(new MartsStage(data), gate, new ExportStage(Clock.systemUTC()));

    writeForecasts(data, 2010);
    NightlyRun.Result good = run(root, "a0", stages, 7, "code-a");
    Path latestFile = root.resolve("out/latest.json");
    byte[] latest = Files.readAllBytes(latestFile);
    byte[] goodCases = Files.readAllBytes(exportOf(good).resolve("backtest_cases.csv"));

    writeForecasts(data, 2012);
    Files.createFile(closed);
    assertThatThrownBy(() -> run(root, "a1", stages, 7, "code-a"))
        .isInstanceOfSatisfying(StageFailure.class, f -> {
          assertThat(f.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
          assertThat(f.getMessage()).contains("stage gate failed").contains("resumes at gate");
        });
    assertThat(Files.readAllBytes(latestFile)).isEqualTo(latest);
    assertThat(Files.readAllBytes(exportOf(good).resolve("backtest_cases.csv"))).isEqualTo(goodCases);
    RunRecord failed = Storage.open(root.resolve("warehouse/_nightly").toString())
        .readJson("runs/a1/run.json", RunRecord.class).orElseThrow();
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.failure()).startsWith("gate: ");

    Files.delete(closed);
    NightlyRun.Result resumed = run(root, "a2", stages, 7, "code-a");
    assertThat(statuses(resumed)).containsExactly("marts=skipped", "gate=ran", "export=ran");
    assertThat(resumed.stages().get(0).producedByRun()).isEqualTo("a1");
    // latest.json still named the previous complete run while this run's stages were working
    assertThat(gate.latestSeen).containsExactly("none", "a0", "a0");
    assertThat(RunPointer.read(Storage.open(root.resolve("out").toString())).orElseThrow().runId()).isEqualTo("a2");
    try (Stream<Path> leftovers = Files.list(root.resolve("out"))) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }

    // An uninterrupted run on the same data exports the same tables, byte for byte.
    Path clean = tmp.resolve("uninterrupted");
    Path cleanData = clean.resolve("in/forecasts.csv.gz");
    writeForecasts(cleanData, 2012);
    NightlyRun.Result straight = run(clean, "b1",
        List.of(new MartsStage(cleanData), new GateStage(clean.resolve("never")), new ExportStage(Clock.systemUTC())),
        7, "code-a");
    for (String file : List.of("backtest_cases.csv", "backtest_warnings.csv", "risk_trajectories.csv",
        "backtest_metrics.csv", "DATA_DICTIONARY.csv")) {
      assertThat(Files.readAllBytes(exportOf(resumed).resolve(file)))
          .as(file).isEqualTo(Files.readAllBytes(exportOf(straight).resolve(file)));
    }
  }

  /** Needs the forecast stage's marts; the test never registers a forecast stage. */
  record NeedsForecast(Path ranMarker) implements Stage {
    @Override
    public String name() {
      return "render";
    }

    @Override
    public List<String> configSections() {
      return List.of();
    }

    @Override
    public List<String> requires() {
      return List.of("forecast");
    }

    @Override
    public StageOutcome run(StageContext context) {
      try {
        Files.createFile(ranMarker);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new StageOutcome(Map.of(), Map.of());
    }
  }

  @Test
  void aStageWhoseRequiredStageIsNotBuiltWaitsAndTheRunStillPublishes() throws IOException {
    Path data = tmp.resolve("in/forecasts.csv.gz");
    writeForecasts(data, 2000);
    Path ran = tmp.resolve("render-ran");
    NightlyRun.Result result = run(tmp, "w1", List.of(new MartsStage(data), new NeedsForecast(ran)), 7, "code-a");
    assertThat(statuses(result)).containsExactly("marts=ran", "render=waiting");
    assertThat(result.stages().get(1).message()).contains("forecast");
    assertThat(ran).doesNotExist();
    assertThat(result.published()).isTrue();
    assertThat(NightlyRun.statusCounts(result)).containsEntry("stages_waiting", 1L);
  }

  @Test
  void aSecondRunExitsLockedNamingTheHolder() throws IOException {
    Path data = tmp.resolve("in/forecasts.csv.gz");
    writeForecasts(data, 2000);
    try (RunLock held = Warehouse.open(tmp.resolve("warehouse").toString()).lock("nightly", "nightly run held-by-test")) {
      assertThatThrownBy(() -> run(tmp, "l1", List.of(new MartsStage(data)), 7, "code-a"))
          .isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(f.getMessage()).contains("pid " + ProcessHandle.current().pid())
                .contains("held-by-test");
          });
    }
    assertThat(tmp.resolve("warehouse/_nightly/runs/l1")).doesNotExist();
    assertThat(statuses(run(tmp, "l2", List.of(new MartsStage(data)), 7, "code-a")))
        .containsExactly("marts=ran");
  }

  @Test
  void retentionDropsOldUnpublishedRunDataAndKeepsPublishedEditions() throws IOException {
    Path data = tmp.resolve("in/forecasts.csv.gz");
    Path closed = tmp.resolve("gate-closed");
    List<Stage> stages = List.of(new MartsStage(data), new ExportStage(Clock.systemUTC()), new GateStage(closed));
    Path exports = tmp.resolve("out/notebooks-exports");
    Path runs = tmp.resolve("warehouse/_nightly/runs");

    writeForecasts(data, 2004);
    run(tmp, "d1", stages, 1, "code-a");
    Files.createFile(closed);
    for (String[] night : new String[][] {{"d2", "2006"}, {"d3", "2008"}}) {
      writeForecasts(data, Integer.parseInt(night[1]));
      assertThatThrownBy(() -> run(tmp, night[0], stages, 1, "code-a")).isInstanceOf(StageFailure.class);
    }
    assertThat(exports.resolve("d2")).isDirectory();
    Files.delete(closed);
    writeForecasts(data, 2010);
    NightlyRun.Result last = run(tmp, "d4", stages, 1, "code-a");

    assertThat(exports.resolve("d1")).as("published by d1").isDirectory();
    assertThat(exports.resolve("d2")).as("never published").doesNotExist();
    assertThat(exports.resolve("d3")).as("never published").doesNotExist();
    assertThat(exports.resolve("d4")).isDirectory();
    assertThat(runs.resolve("d1/run.json")).exists();
    assertThat(runs.resolve("d2")).doesNotExist();
    assertThat(runs.resolve("d3")).doesNotExist();
    assertThat(runs.resolve("d4/run.json")).exists();
    assertThat(last.removed()).contains(exports.resolve("d2").toString(), exports.resolve("d3").toString(),
        runs.resolve("d2").toString());
    // warehouse partitions are published editions: every vintage stays
    assertThat(Warehouse.open(tmp.resolve("warehouse").toString()).partitions("backtest_cases")).hasSize(4);
  }
}
