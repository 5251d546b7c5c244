package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.Column;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Table;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage that labels its partitions with the run id (as the back-test does) and is stopped
 * half-way: the restart must leave the warehouse as one uninterrupted run would, and must not
 * touch what a stopped run published in a stage it finished.
 */
class UnfinishedRunsTest {
  @TempDir Path tmp;

  /** Not caught by the nightly, so the run record stays "running", as after {@code kill -9}. */
  static final class Killed extends Error {}

  /** Publishes two tables under the run id; stops between them while {@code stopAfterFirst} exists. */
  record RunLabelled(Path stopAfterFirst, boolean asKill) implements Stage {
    @Override
    public String name() {
      return "scores";
    }

    @Override
    public List<String> configSections() {
      return List.of();
    }

    @Override
    public StageOutcome run(StageContext context) {
      Warehouse warehouse = Warehouse.open(context.settings().location("warehouse.root"));
      Map<String, String> outputs = new LinkedHashMap<>();
      for (String dataset : List.of("scores_annual", "scores_monthly")) {
        Manifest m = new Manifest(dataset, context.runId(), "scores", context.runId(), List.of(), List.of(),
            Map.of("rows", 1L), List.of(), "code", "config", Instant.EPOCH.toString(), Instant.EPOCH.toString(),
            Map.of());
        Table one = Table.of(List.of(Column.of("risk", Column.Type.DOUBLE)), List.<Object[]>of(new Object[] {0.25}));
        outputs.put(dataset, warehouse.publish(dataset, context.runId(), m, one).location());
        if (Files.exists(stopAfterFirst)) {
          if (asKill) {
            throw new Killed();
          }
          throw new StageFailure(org.ewarn.run.ExitCode.FAILURE, "stopped after " + dataset);
        }
      }
      return new StageOutcome(outputs, Map.of());
    }
  }

  /** Fails while its marker exists. */
  record Gate(Path closed) implements Stage {
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
      if (Files.exists(closed)) {
        throw new StageFailure(org.ewarn.run.ExitCode.FAILURE, "gate closed");
      }
      return new StageOutcome(Map.of(), Map.of());
    }
  }

  private NightlyRun.Result run(Path root, String runId, Stage... stages) {
    return run(root, runId, 7, stages);
  }

  private NightlyRun.Result run(Path root, String runId, int keepRuns, Stage... stages) {
    Settings settings = Settings.load(Settings.home(), null, List.of(
        "warehouse.root=" + root.resolve("warehouse"), "output.root=" + root.resolve("out")));
    Map<String, Stage> available = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Stage s : stages) {
      available.put(s.name(), s);
      names.add(s.name());
    }
    NightlyRun.Config config = new NightlyRun.Config(names, settings.location("nightly.state-dir"),
        settings.location("warehouse.root"), settings.location("output.root"), keepRuns, LocalDate.of(2026, 12, 3), false);
    return new NightlyRun(config, settings, available, "code", Clock.systemUTC(), System.err).execute(runId);
  }

  /** Writes its CSV folder {@code <output.root>/backtest/<run id>}, then is killed while {@code kill} exists. */
  record CsvThenKilled(Path kill) implements Stage {
    @Override
    public String name() {
      return "csv";
    }

    @Override
    public List<String> configSections() {
      return List.of();
    }

    @Override
    public StageOutcome run(StageContext context) {
      Path dir = Path.of(context.settings().location("output.root"), "backtest", context.runId());
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("warnings.csv"), "ccode,year\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (Files.exists(kill)) {
        throw new Killed();
      }
      return new StageOutcome(Map.of("warnings_csv", dir.resolve("warnings.csv").toString()), Map.of());
    }
  }

  private static List<String> vintages(Path root, String dataset) {
    return Warehouse.open(root.resolve("warehouse").toString()).partitions(dataset).stream()
        .map(Partition::vintage).toList();
  }

  @Test
  void aRestartRemovesWhatAKilledOrFailedRunPublishedInTheStageItStoppedIn() throws Exception {
    for (boolean kill : List.of(true, false)) {
      Path root = tmp.resolve(kill ? "killed" : "failed");
      Path stop = root.resolve("stop");
      Files.createDirectories(root);
      Files.createFile(stop);
      RunLabelled stage = new RunLabelled(stop, kill);
      assertThatThrownBy(() -> run(root, "r1", stage)).isInstanceOf(kill ? Killed.class : StageFailure.class);
      assertThat(vintages(root, "scores_annual")).containsExactly("r1");
      assertThat(vintages(root, "scores_monthly")).isEmpty();

      Files.delete(stop);
      NightlyRun.Result restart = run(root, "r2", stage);
      assertThat(restart.stages()).extracting(RunRecord.StageReport::status).containsExactly("ran");
      // as an uninterrupted run leaves it: one partition per table, the restart's
      assertThat(vintages(root, "scores_annual")).as(root.toString()).containsExactly("r2");
      assertThat(vintages(root, "scores_monthly")).as(root.toString()).containsExactly("r2");
    }
  }

  @Test
  void whatAStoppedRunPublishedInAStageItFinishedStaysForTheRestartThatReusesIt() throws Exception {
    Path root = tmp.resolve("later");
    Path closed = root.resolve("closed");
    Files.createDirectories(root);
    Files.createFile(closed);
    Stage scores = new RunLabelled(root.resolve("never"), false);
    Gate gate = new Gate(closed);
    assertThatThrownBy(() -> run(root, "r1", scores, gate)).isInstanceOf(StageFailure.class);

    Files.delete(closed);
    NightlyRun.Result restart = run(root, "r2", scores, gate);
    assertThat(restart.stages()).extracting(RunRecord.StageReport::status).containsExactly("skipped", "ran");
    assertThat(vintages(root, "scores_annual")).containsExactly("r1");
    assertThat(restart.latest().outputs().get("scores.scores_annual")).endsWith("vintage=r1");
  }

  @Test
  void theWarehouseRefusesToDiscardAPartitionOfAnotherRunOrStage() throws Exception {
    Path root = tmp.resolve("guard");
    run(root, "r1", new RunLabelled(root.resolve("never"), false));
    Warehouse warehouse = Warehouse.open(root.resolve("warehouse").toString());
    assertThatThrownBy(() -> warehouse.discardUnfinished("scores_annual", "r1", "backtest"))
        .hasMessageContaining("in stage scores, not by run r1 in stage backtest");
    assertThat(vintages(root, "scores_annual")).containsExactly("r1");
  }

  @Test
  void retentionRemovesTheOutputFolderOfARunKilledInTheStageThatWroteIt() throws Exception {
    Path root = tmp.resolve("csv");
    Path kill = root.resolve("kill");
    Path csv = root.resolve("out/backtest");
    Files.createDirectories(root);
    Files.createFile(kill);
    CsvThenKilled stage = new CsvThenKilled(kill);
    assertThatThrownBy(() -> run(root, "r1", 1, stage)).isInstanceOf(Killed.class);
    assertThat(csv.resolve("r1/warnings.csv")).exists();

    Files.delete(kill);
    NightlyRun.Result restart = run(root, "r2", 1, stage);
    // r1 never recorded the folder: it was killed before the stage ended
    assertThat(csv.resolve("r1")).doesNotExist();
    assertThat(restart.removed()).contains(csv.resolve("r1").toString());
    assertThat(csv.resolve("r2/warnings.csv")).exists();

    run(root, "r3", 1, stage);
    assertThat(csv.resolve("r2/warnings.csv")).as("published by r2, kept").exists();
  }
}
