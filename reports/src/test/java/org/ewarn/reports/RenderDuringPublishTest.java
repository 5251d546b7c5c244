package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.warehouse.WarehouseView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render} while {@code nightly} publishes: run A's marts are published and
 * {@code latest.json} names them; run B then publishes its marts one dataset at a time, as the
 * nightly's ingest, panel and back-test stages do (staged, then renamed into place, manifest
 * inside), and switches {@code latest.json} last. Every render in between must show run A whole,
 * and the render after the switch run B whole: each rendered PDF records the vintage of every mart
 * it read (its keywords), and appendix E prints each mart's vintage and run id.
 */
class RenderDuringPublishTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 26);
  static final String RUN_A = "night-A";
  static final String RUN_B = "night-B";
  /** The marts the forecast stage publishes per edition: a night of the same edition keeps them. */
  static final List<String> EDITION_MARTS =
      List.of("risk_forecasts", "risk_trajectories", "risk_drivers", "risk_factor_profiles");

  @TempDir Path tmp;
  Path warehouse;
  Path out;
  /** dataset → vintage of the partition each run's latest.json names. */
  Map<String, String> runA;
  Map<String, String> runB;
  /** B's datasets in the order its stages publish them: ingest (countries), panel, back-test. */
  List<String> publishedByB;

  @BeforeEach
  void runAPublishedAndPointedAt() throws IOException {
    warehouse = tmp.resolve("warehouse");
    out = tmp.resolve("out");
    new MartFixtures().publishAll(warehouse);
    runA = new TreeMap<>();
    for (String dataset : datasets()) {
      runA.put(dataset, live().latest(dataset).orElseThrow().vintage());
    }
    switchPointer(RUN_A, runA, Instant.parse("2026-11-04T00:00:00Z"));
    publishedByB = new ArrayList<>();
    for (String d : datasets()) {
      if (!EDITION_MARTS.contains(d)) {
        publishedByB.add(d);
      }
    }
    publishedByB.sort((a, b) -> Integer.compare(stageOrder(a), stageOrder(b)));
    runB = new TreeMap<>(runA);
    publishedByB.forEach(d -> runB.put(d, RUN_B));
    assertThat(publishedByB).contains("countries", "panel_country_month", "backtest_metrics",
        "backtest_monthly_metrics").hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void eachRenderWhileRunBPublishesShowsRunAWholeAndAfterTheSwitchRunBWhole() throws IOException {
    RenderResult first = render(MartSource.lastRun());
    assertThat(first.written()).hasSize(6);
    assertWhole(first, runA, RUN_A);

    for (String dataset : publishedByB) {
      publishAsRunB(dataset);
      RenderResult during = render(MartSource.lastRun());
      assertWhole(during, runA, RUN_A);
      // Run A's inputs, unchanged: nothing is re-rendered, the published A files stay current.
      assertThat(during.written()).as("render after run B published %s", dataset).isEmpty();
      assertThat(during.unchanged()).containsExactlyInAnyOrderElementsOf(first.written());
    }

    switchPointer(RUN_B, runB, Instant.now());
    RenderResult after = render(MartSource.lastRun());
    assertThat(after.written()).isNotEmpty();
    assertWhole(after, runB, RUN_B);
    assertThat(first.marts()).contains("run " + RUN_A);
    assertThat(after.marts()).contains("run " + RUN_B);
    // Appendix E lists the marts B published with B's run id; A's render did not.
    assertThat(Pdfs.text(file(after, "E_en_"))).contains(RUN_B);
    assertThat(Pdfs.text(file(first, "E_en_"))).doesNotContain(RUN_B);
  }

  @Test
  void rendersRunningConcurrentlyWithThePublisherNeverMixTheTwoRuns() throws Exception {
    assertWhole(render(MartSource.lastRun()), runA, RUN_A);
    AtomicReference<Throwable> publisherFailed = new AtomicReference<>();
    Thread publisher = new Thread(() -> {
      try {
        for (String dataset : publishedByB) {
          publishAsRunB(dataset);
          Thread.sleep(40);
        }
        switchPointer(RUN_B, runB, Instant.now());
      } catch (Throwable t) {
        publisherFailed.set(t);
      }
    }, "run-B-publisher");
    publisher.start();
    int renders = 0;
    int runBRenders = 0;
    while (publisher.isAlive() || runBRenders == 0) {
      RenderResult r = render(MartSource.lastRun());
      renders++;
      String seen = assertWholeRun(r);
      if (seen.equals(RUN_B)) {
        runBRenders++;
      }
      assertThat(publisherFailed.get()).isNull();
      assertThat(renders).as("renders before one saw run B").isLessThan(500);
    }
    publisher.join();
    assertThat(publisherFailed.get()).isNull();
    assertThat(renders).isGreaterThan(1);
  }

  /** The old rule, each mart's newest partition read one by one, mixes the runs half-way: the check above catches it. */
  @Test
  void theLastRunsViewNamesWhatWasPublishedAfterIt() throws IOException {
    assertThat(RenderAction.newerThan(view(MartSource.lastRun()), live(), datasets())).isEmpty();
    publishAsRunB("countries");
    publishAsRunB("backtest_metrics");
    assertThat(RenderAction.newerThan(view(MartSource.lastRun()), live(), datasets()))
        .containsExactly("backtest_metrics/vintage=" + RUN_B, "countries/vintage=" + RUN_B);
    assertThat(RenderAction.newerThan(view(MartSource.live()), live(), datasets())).isEmpty();
  }

  @Test
  void readingEachMartsNewestPartitionMixesTheRunsHalfWay() {
    publishAsRunB("countries");
    publishAsRunB("backtest_metrics");
    RenderResult mixed = render(MartSource.live());
    assertThatThrownBy(() -> assertWholeRun(mixed)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("neither wholly");
  }

  @Test
  void theNightlysOwnRenderReadsItsRunsOutputsBeforeThePointerSwitches() {
    for (String dataset : publishedByB) {
      publishAsRunB(dataset);
    }
    // latest.json still names A; the render stage of B is given B's outputs so far.
    WarehouseView b = view(MartSource.run("nightly run " + RUN_B, Instant.now(), outputs(runB)));
    assertThat(b.latest("backtest_metrics").orElseThrow().vintage()).isEqualTo(RUN_B);
    assertThat(b.latest("risk_forecasts").orElseThrow().vintage()).isEqualTo(MartFixtures.EDITION);
    WarehouseView a = view(MartSource.lastRun());
    assertThat(a.latest("backtest_metrics").orElseThrow().vintage()).isEqualTo(runA.get("backtest_metrics"));
    assertThat(a.describe()).contains("run " + RUN_A);
    // a dataset the run does not name: only partitions finished by the run's time exist for it
    WarehouseView early = view(MartSource.run("nightly run " + RUN_B,
        Instant.parse("2026-11-04T00:00:00Z"), Map.of()));
    assertThat(early.latest("backtest_metrics").orElseThrow().vintage()).isEqualTo(runA.get("backtest_metrics"));
    assertThat(early.partitions("backtest_metrics")).extracting(Partition::vintage)
        .containsExactly(runA.get("backtest_metrics"));
    assertThat(early.partition("backtest_metrics", RUN_B)).isEmpty();
  }

  @Test
  void aPointerNamingAMartPartitionThatIsNotPublishedIsRefusedNamingIt() {
    Map<String, String> broken = new TreeMap<>(runA);
    broken.put("backtest_cases", "gone");
    switchPointer(RUN_A, broken, Instant.parse("2026-11-04T00:00:00Z"));
    assertThatThrownBy(() -> render(MartSource.lastRun())).isInstanceOf(RenderFailure.class)
        .hasMessageContaining("run " + RUN_A).hasMessageContaining("backtest_cases/vintage=gone");
  }

  @Test
  void aMissingPartitionOfADatasetTheReportDoesNotReadDoesNotStopIt() {
    Map<String, String> other = new TreeMap<>(runA);
    other.put("ged_events_quarantine", "gone");
    switchPointer(RUN_A, other, Instant.parse("2026-11-04T00:00:00Z"));
    assertWhole(render(MartSource.lastRun()), runA, RUN_A);
  }

  // ---- the two runs ----

  private List<String> datasets() throws IOException {
    try (Stream<Path> dirs = Files.list(warehouse)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_")).sorted().toList();
    }
  }

  private static int stageOrder(String dataset) {
    return dataset.equals("countries") ? 0 : dataset.startsWith("panel_") ? 1 : dataset.contains("monthly") ? 3 : 2;
  }

  /**
   * Publishes a copy of run A's partition as run B's, the way a stage does: written under
   * {@code _staging/<run>/}, manifest (new vintage, run id, finish time) beside the data, then the
   * folder renamed into place in one step.
   */
  private void publishAsRunB(String dataset) {
    Path from = warehouse.resolve(dataset).resolve("vintage=" + runA.get(dataset));
    Path staged = warehouse.resolve("_staging").resolve(RUN_B).resolve(dataset).resolve("vintage=" + RUN_B);
    try {
      Files.createDirectories(staged);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          if (!f.getFileName().toString().equals(Warehouse.MANIFEST)) {
            Files.copy(f, staged.resolve(f.getFileName()));
          }
        }
      }
      ObjectMapper json = new ObjectMapper();
      ObjectNode manifest = (ObjectNode) json.readTree(from.resolve(Warehouse.MANIFEST).toFile());
      String now = Instant.now().toString();
      manifest.put("vintage", RUN_B).put("run_id", RUN_B).put("started", now).put("finished", now);
      json.writeValue(staged.resolve(Warehouse.MANIFEST).toFile(), manifest);
      Files.move(staged, warehouse.resolve(dataset).resolve("vintage=" + RUN_B), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> outputs(Map<String, String> run) {
    Map<String, String> outputs = new LinkedHashMap<>();
    run.forEach((d, v) -> outputs.put("stage." + d, warehouse.resolve(d).resolve("vintage=" + v).toString()));
    // outputs outside the warehouse (CSV files, folders) pin nothing
    outputs.put("forecast.forecast_csv", out.resolve("forecasts/forecast-2023.csv").toString());
    outputs.put("export.directory", out.resolve("notebooks-exports").toString());
    return outputs;
  }

  /** As the nightly switches it: the JSON of LatestPointer, written beside and renamed over. */
  private void switchPointer(String runId, Map<String, String> run, Instant published) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode pointer = json.createObjectNode().put("run_id", runId).put("run_date", "2026-11-26")
        .put("published", published.toString()).put("code_version", "test");
    ObjectNode o = pointer.putObject("outputs");
    outputs(run).forEach(o::put);
    try {
      Files.createDirectories(out);
      Path next = out.resolve(".latest.json.tmp");
      json.writeValue(next.toFile(), pointer);
      Files.move(next, out.resolve(RunPointer.FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Warehouse live() {
    return Warehouse.open(warehouse.toString());
  }

  private WarehouseView view(MartSource source) {
    return source.view(live(), Storage.open(out.toString()));
  }

  private RenderResult render(MartSource source) {
    return new RenderAction(new RenderConfig(warehouse.toString(), out.toString(), List.of("en"), "latest", 0, DAY, "render-1", "",
        MartFixtures.TOP, "test-version", source)).execute();
  }

  // ---- what a render saw ----

  private void assertWhole(RenderResult r, Map<String, String> run, String runId) {
    assertThat(assertWholeRun(r)).isEqualTo(runId);
    for (String pdf : r.written()) {
      vintages(Path.of(pdf)).forEach((d, v) -> assertThat(v).as("%s in %s", d, pdf).isEqualTo(run.get(d)));
    }
  }

  /**
   * Which run every PDF the render wrote comes from: each mart vintage it records is run A's or
   * each is run B's, never some of each. A render that wrote nothing left the files of its
   * inputs' last render current (checked when they were written), so it is whichever run those
   * were.
   */
  private String assertWholeRun(RenderResult r) {
    String seen = null;
    List<Path> files = (r.written().isEmpty() ? r.unchanged() : r.written()).stream().map(Path::of).toList();
    for (Path pdf : files) {
      Map<String, String> v = vintages(pdf);
      assertThat(v).as("vintages recorded in %s", pdf.getFileName()).isNotEmpty();
      boolean a = v.entrySet().stream().allMatch(e -> e.getValue().equals(runA.get(e.getKey())));
      boolean b = v.entrySet().stream().allMatch(e -> e.getValue().equals(runB.get(e.getKey())));
      boolean onlyShared = a && b;
      if (!a && !b) {
        throw new AssertionError(pdf.getFileName() + " is neither wholly run A's nor wholly run B's: " + v);
      }
      String run = onlyShared ? null : a ? RUN_A : RUN_B;
      if (run != null && seen != null && !seen.equals(run)) {
        throw new AssertionError("one render wrote files of run A and of run B: " + files);
      }
      seen = run != null ? run : seen;
    }
    return seen;
  }

  /** dataset → vintage, from the PDF keywords "ewarn; edition E; run R; dataset vintage; …". */
  private static Map<String, String> vintages(Path pdf) {
    try (PDDocument doc = Pdfs.open(pdf)) {
      String[] parts = doc.getDocumentInformation().getKeywords().split("; ");
      Map<String, String> out = new TreeMap<>();
      for (int i = 3; i < parts.length; i++) {
        String[] dv = parts[i].split(" ", 2);
        out.put(dv[0], dv[1]);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path file(RenderResult r, String prefix) {
    return r.written().stream().map(Path::of).filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
        .orElseThrow();
  }
}
