package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render in a child JVM gives what the render in this JVM gives, and its failures come back. */
class RenderProcessTest {
  @Test
  void aChildJvmRendersTheSamePagesAsThisJvm(@TempDir Path dir) {
    Path wh = dir.resolve("warehouse");
    new MartFixtures().publishAll(wh);
    RenderResult here = new RenderAction(RenderActionTest.config(wh, dir.resolve("here"), List.of("en"), "run-p", RenderActionTest.DAY)).execute();
    RenderResult child = RenderProcess.execute(RenderActionTest.config(wh, dir.resolve("child"), List.of("en"), "run-p", RenderActionTest.DAY));
    assertThat(child.edition()).isEqualTo(here.edition());
    assertThat(Rendered.directory(child)).isEqualTo(dir.resolve("child/reports/2026/2023").toAbsolutePath());
    assertThat(Rendered.written(child)).extracting(p -> p.getFileName().toString())
        .containsExactlyElementsOf(Rendered.written(here).stream().map(p -> p.getFileName().toString()).toList());
    assertThat(child.pages()).isEqualTo(here.pages());
    for (Path p : Rendered.written(here)) {
      // PDF bytes embed a creation time and document id; the text is the deterministic part.
      assertThat(Pdfs.text(Rendered.directory(child).resolve(p.getFileName()))).as("text of %s", p.getFileName())
          .isEqualTo(Pdfs.text(p));
    }
  }

  @Test
  void whichMartsToReadGoesToTheChildAsGiven(@TempDir Path dir) {
    RenderConfig base = RenderActionTest.config(dir.resolve("wh"), dir.resolve("out"), List.of("en"), "r",
        RenderActionTest.DAY);
    assertThat(base.marts()).isEqualTo(MartSource.lastRun());
    for (MartSource source : List.of(MartSource.lastRun(), MartSource.live(), MartSource.run("nightly run r",
        java.time.Instant.parse("2026-11-26T03:04:05.123Z"), java.util.Map.of("backtest.backtest_metrics",
            dir.resolve("wh/backtest_metrics/vintage=r").toString(), "forecast.forecast_csv", "/x/forecast.csv")))) {
      RenderConfig c = base.withMarts(source);
      assertThat(RenderProcess.fromJsonConfig(RenderProcess.toJson(c))).isEqualTo(c);
    }
  }

  @Test
  void aFailureInTheChildComesBackWithItsMessageAndKind(@TempDir Path dir) {
    assertThatThrownBy(() -> RenderProcess.execute(RenderActionTest.config(dir.resolve("wh"), dir.resolve("out"),
        List.of("en"), "r", RenderActionTest.DAY)))
        .isInstanceOf(RenderFailure.class).hasMessageContaining("risk_forecasts has not been published")
        .satisfies(e -> assertThat(((RenderFailure) e).isDataProblem()).isTrue());
  }

  @Test
  void theChildStopsWhenItsParentIsGoneSoNoOrphanGoesOnWritingOrHoldingTheLock(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("warehouse");
    new MartFixtures().publishAll(wh);
    Path request = dir.resolve("request.json");
    Path response = dir.resolve("result.json");
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(request.toFile(), RenderProcess.toJson(
        RenderActionTest.config(wh, dir.resolve("out"), List.of("en", "zh", "fr", "es", "ru", "ar"), "run-o",
            RenderActionTest.DAY)));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), RenderProcess.class.getName(),
        request.toString(), response.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      Thread.sleep(1_500);
      assertThat(child.isAlive()).as("six languages take longer than 1.5 s").isTrue();
      child.getOutputStream().close(); // what the kernel does to the pipe when the parent dies
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("child stopped").isTrue();
      assertThat(child.exitValue()).isEqualTo(RenderProcess.PARENT_GONE);
      assertThat(response).doesNotExist();
      assertThat(java.nio.file.Files.readString(dir.resolve("child.log"))).contains("the parent process is gone");
    } finally {
      child.destroyForcibly();
    }
  }
}
