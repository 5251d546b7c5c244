package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.ewarn.SparkTest;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: the nightly child process is killed with SIGKILL at random moments, restarted
 * each time, and its final outputs must equal those of an uninterrupted run, row for row: every
 * warehouse dataset, the notebook export and the text of every report PDF.
 *
 * <p>Each kill picks, with a seeded {@link Random}, a stage at or after the first one the killed
 * warehouse has not finished, waits until the child says that stage is running, then waits a random
 * share of that stage's duration in the uninterrupted run, and kills. The seed is printed; replay
 * a failure with {@code -Dewarn.kill.seed=<seed>}. The uninterrupted run is the one the process
 * tests share ({@link NightlyChild#reference()}) unless other stages are asked for. In
 * {@code mvn -B verify -DexcludedGroups=} it kills twice (tags {@code slow}, {@code kill}; a plain
 * {@code mvn -B verify} leaves it out); the full harness:
 *
 * <pre>
 * mvn -B -pl jobs -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=NightlyKillHarnessIT -DexcludedGroups= -Dewarn.kill.runs=10 [-Dewarn.kill.seed=42] \
 *     [-Dewarn.kill.stages=ingest,panel,forecast,backtest,export,render] [-Dewarn.kill.full-models=true] \
 *     [-Dewarn.child.minutes=30]
 * </pre>
 */
@Tag("slow")
@Tag("kill")
class NightlyKillHarnessIT extends SparkTest {

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
  void killedAtRandomMomentsAndRestartedItPublishesWhatAnUninterruptedRunDoes() throws Exception {
    int kills = Integer.getInteger("ewarn.kill.runs", 2);
    long seed = Long.getLong("ewarn.kill.seed", System.nanoTime());
    List<String> stages = List.of(System.getProperty("ewarn.kill.stages",
        String.join(",", NightlyChild.SIX_STAGES)).split(","));
    System.err.println("NightlyKillHarnessIT: seed " + seed + ", " + kills + " kills, stages " + stages
        + " (replay: -Dewarn.kill.seed=" + seed + ")");
    Random random = new Random(seed);

    Path straight;
    Map<String, Double> seconds;
    if (stages.equals(NightlyChild.SIX_STAGES)) {
      NightlyChild.Reference ref = NightlyChild.reference();
      assertThat(ref.exit()).as(ref.stderr()).isZero();
      straight = ref.root();
      seconds = ref.seconds();
    } else {
      straight = tmp.resolve("straight");
      Process clean = nightly(straight, "clean", stages);
      assertThat(clean.waitFor(NightlyChild.MINUTES, TimeUnit.MINUTES)).isTrue();
      assertThat(clean.exitValue()).as(Files.readString(straight.resolve("clean.err"))).isZero();
      seconds = NightlyChild.stageSeconds(Files.readString(straight.resolve("clean.err")));
    }

    Path killed = tmp.resolve("killed");
    List<String> log = new ArrayList<>();
    int done = 0; // stages the killed warehouse has finished, in pipeline order
    for (int i = 0; i < kills; i++) {
      List<String> ahead = stages.subList(Math.min(done, stages.size() - 1), stages.size()).stream()
          .filter(seconds::containsKey).toList();
      String target = ahead.isEmpty() ? stages.get(stages.size() - 1) : ahead.get(random.nextInt(ahead.size()));
      double share = random.nextDouble();
      String name = "kill" + i;
      Process p = nightly(killed, name, stages);
      Path err = killed.resolve(name + ".err");
      boolean reached = awaitText(err, target + ": running", p);
      if (reached) {
        long waitMillis = (long) (share * seconds.getOrDefault(target, 1.0) * 1000);
        p.waitFor(waitMillis, TimeUnit.MILLISECONDS);
      }
      boolean alive = p.isAlive();
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      p.waitFor(60, TimeUnit.SECONDS);
      String text = Files.readString(err);
      done = (int) stages.stream().filter(s -> text.contains(s + ": done") || text.contains(s + ": skipped")).count();
      log.add(String.format(java.util.Locale.ROOT, "kill %d: %s at %.0f %% of its %.1f s -> %s", i, target,
          share * 100, seconds.getOrDefault(target, 0.0), alive ? "killed after " + done + " stages" : "had ended"));
      if (alive) {
        assertThat(RunPointer.read(Storage.open(killed.resolve("out").toString())).map(RunPointer::runId))
            .as("a killed run never switches latest.json").isEmpty();
      }
    }
    System.err.println("NightlyKillHarnessIT (seed " + seed + "):\n  " + String.join("\n  ", log));

    Process again = nightly(killed, "again", stages);
    assertThat(again.waitFor(NightlyChild.MINUTES, TimeUnit.MINUTES)).isTrue();
    assertThat(again.exitValue()).as(log + "\n" + Files.readString(killed.resolve("again.err"))).isZero();

    RunOutputs.assertSame(this, straight, killed, "seed " + seed + ", " + log);
  }

  private Process nightly(Path root, String name, List<String> stages) throws IOException {
    Process p = NightlyChild.start(root, name, NightlyChild.nightly(root, stages, NightlyChild.ciSize()), Map.of());
    started.add(p);
    return p;
  }

  /** True when {@code text} appeared; false when the run ended first. */
  private static boolean awaitText(Path file, String text, Process p) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(NightlyChild.MINUTES));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return true;
      }
      if (!p.isAlive()) {
        return false;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("'" + text + "' not in " + file);
  }
}
