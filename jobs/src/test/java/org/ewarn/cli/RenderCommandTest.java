package org.ewarn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.nightly.StageContext;
import org.ewarn.reports.MartSource;
import org.ewarn.reports.RenderFailure;
import org.junit.jupiter.api.Test;

/** Which marts {@code ewarn render} and the nightly's render stage hand to the renderer. */
class RenderCommandTest {
  private static Settings settings(String... sets) {
    return Settings.load(Settings.home(), null, List.of(sets));
  }

  @Test
  void standAloneRenderReadsTheRunLatestJsonNamesUnlessToldToReadLive() {
    assertThat(RenderCommand.config(settings(), "r1", null).marts()).isEqualTo(MartSource.lastRun());
    assertThat(RenderCommand.config(settings("reports.marts=live"), "r1", null).marts()).isEqualTo(MartSource.live());
    assertThatThrownBy(() -> RenderCommand.config(settings("reports.marts=newest"), "r1", null))
        .isInstanceOf(RenderFailure.class).hasMessageContaining("reports.marts").hasMessageContaining("newest")
        .satisfies(e -> assertThat(((RenderFailure) e).isDataProblem()).isFalse());
  }

  @Test
  void aBadMartsSettingIsAConfigurationError() {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      exit = Ewarn.run("render", "--set", "reports.marts=newest");
    } finally {
      System.setOut(out);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(o.toString(StandardCharsets.UTF_8)).contains("reports.marts");
  }

  @Test
  void theNightlysRenderStageReadsItsOwnRunsOutputsEvenWithLiveConfigured() {
    Map<String, String> upstream = Map.of("backtest.backtest_metrics", "/wh/backtest_metrics/vintage=night-B",
        "forecast.risk_forecasts", "/wh/risk_forecasts/vintage=2023");
    Settings s = settings("reports.marts=live");
    StageContext context = new StageContext(s, "night-B", LocalDate.of(2026, 11, 26), upstream);
    MartSource marts = RenderCommand.config(s, "night-B", context.upstreamOutputs()).marts();
    assertThat(marts.kind()).isEqualTo(MartSource.Kind.RUN);
    assertThat(marts.outputs()).isEqualTo(upstream);
    assertThat(marts.label()).contains("night-B");
  }

  @Test
  void aResumedRenderNamesThePdfsTheKilledRunHadPublished() {
    String dir = "/out/reports/2026/2024";
    org.ewarn.reports.RenderResult resumed = new org.ewarn.reports.RenderResult("2024", dir,
        List.of(dir + "/C_en_2026-12-02_v01.pdf"), List.of(dir + "/A_en_2026-12-02_v01.pdf", dir + "/B_en_2026-12-02_v01.pdf"),
        Map.of("C_en_2026-12-02_v01.pdf", 9), dir + "/index.md", dir + "/index.html", List.of(), "warehouse");
    assertThat(RenderCommand.outputs(resumed)).containsOnlyKeys("directory", "index", "index_html",
        "A_en_2026-12-02_v01.pdf", "B_en_2026-12-02_v01.pdf", "C_en_2026-12-02_v01.pdf")
        .containsEntry("A_en_2026-12-02_v01.pdf", dir + "/A_en_2026-12-02_v01.pdf");
  }
}
