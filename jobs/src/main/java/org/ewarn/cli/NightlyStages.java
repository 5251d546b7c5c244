package org.ewarn.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ewarn.backtest.BacktestAction;
import org.ewarn.ingest.IngestAction;
import org.ewarn.model.ForecastAction;
import org.ewarn.nightly.Stage;
import org.ewarn.nightly.StageContext;
import org.ewarn.nightly.StageOutcome;
import org.ewarn.panel.PanelAction;
import org.ewarn.run.RunSummary;

/**
 * The stages this build has, by name. Each binds its settings into its config record with its
 * command's {@code config}, calls its action and turns the result into a summary with the same
 * functions its command uses, so the nightly run does exactly what the stand-alone command does,
 * and no command object or picocli field is involved. A new stage registers with one entry: its
 * name, the configuration sections it reads (their hash and the files they name are its inputs),
 * the stages it cannot run without, and that function, e.g.
 * {@code stages.put("panel", new ActionStage("panel", List.of("panel"), List.of("ingest"),
 * (settings, runId) -> PanelCommand.summary(runId, new PanelAction(PanelCommand.config(settings, runId)).execute())));}
 */
final class NightlyStages {
  /** Every stage the pipeline defines, in order; a configured name outside this list is a typo. */
  static final List<String> PIPELINE = List.of("ingest", "panel", "backtest", "forecast", "export", "render");

  private NightlyStages() {}

  static Map<String, Stage> available(Clock clock) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put("ingest", new ActionStage("ingest", List.of("ingest", "quality"), List.of(),
        (settings, runId) -> IngestCommand.summary(runId,
            IngestCommand.executeShowingSources(new IngestAction(IngestCommand.config(settings, runId, List.of()))))));
    stages.put("panel", new ActionStage("panel", List.of("panel"), List.of("ingest"),
        (settings, runId) -> PanelCommand.summary(runId,
            new PanelAction(PanelCommand.config(settings, runId)).execute())));
    stages.put("forecast", new ActionStage("forecast", List.of("forecast", "models", "un-framework"),
        List.of("panel"),
        (settings, runId) -> ForecastCommand.summary(runId,
            new ForecastAction(ForecastCommand.config(settings, runId)).execute()),
        settings -> org.ewarn.config.Settings.isUri(settings.string("forecast.models-dir"))
            ? List.of() : List.of(settings.path("forecast.models-dir"))));
    stages.put("backtest", new BacktestStage());
    stages.put("export", new ExportStage(clock));
    stages.put("render", new RenderStage());
    return stages;
  }

  /**
   * The annual back-test, then the monthly one when the country-month panel is published (its
   * outputs and counts prefixed {@code monthly.}). The event-informed models read their event
   * features from the panel stage's panel_country_year (backtest.annual.events), so the stage
   * needs the panel and runs after it; the panel's outputs are among its upstream outputs, so a
   * changed panel re-runs the back-test.
   */
  record BacktestStage() implements Stage {
    @Override
    public String name() {
      return "backtest";
    }

    @Override
    public List<String> configSections() {
      return List.of("backtest", "models");
    }

    @Override
    public List<String> requires() {
      return List.of("ingest", "panel");
    }

    @Override
    public StageOutcome run(StageContext context) {
      Map<String, String> outputs = new LinkedHashMap<>();
      Map<String, Long> counts = new LinkedHashMap<>();
      for (BacktestAction.Protocol protocol : BacktestAction.Protocol.values()) {
        BacktestAction action = new BacktestAction(
            BacktestCommand.config(context.settings(), protocol, List.of(), context.runId()));
        if (!action.inputsPublished()) {
          // only the monthly protocol can lack its panel
          System.err.println("ewarn nightly: monthly back-test skipped: the country-month panel is not published");
          continue;
        }
        BacktestAction.Result summary = action.execute();
        String prefix = protocol == BacktestAction.Protocol.ANNUAL ? "" : "monthly.";
        summary.outputs().forEach((k, v) -> outputs.put(prefix + k, v));
        summary.counts().forEach((k, v) -> counts.put(prefix + k, v));
      }
      return new StageOutcome(outputs, counts);
    }
  }

  /**
   * {@code ewarn render} reading the marts of this run: the outputs of its stages so far (ran or
   * skipped), not the previous run's, which {@code latest.json} names until every stage succeeded.
   */
  record RenderStage() implements Stage {
    @Override
    public String name() {
      return "render";
    }

    @Override
    public List<String> configSections() {
      return List.of("reports");
    }

    @Override
    public List<String> requires() {
      return List.of("forecast");
    }

    @Override
    public StageOutcome run(StageContext context) {
      RunSummary summary = RenderCommand.run(context.settings(), context.runId(), context.upstreamOutputs());
      return new StageOutcome(summary.outputs(), summary.counts());
    }
  }

  /** Binds a stage's settings, runs its action and makes its summary, as its command does. */
  interface Run {
    RunSummary run(org.ewarn.config.Settings settings, String runId);
  }

  /** A stage whose summary's outputs and counts become the outcome. */
  record ActionStage(
      String name, List<String> configSections, List<String> requires, Run command,
      java.util.function.Function<org.ewarn.config.Settings, List<java.nio.file.Path>> folders)
      implements Stage {
    ActionStage(String name, List<String> configSections, List<String> requires, Run command) {
      this(name, configSections, requires, command, settings -> List.of());
    }

    @Override
    public List<java.nio.file.Path> writes(org.ewarn.config.Settings settings) {
      return folders.apply(settings);
    }

    @Override
    public StageOutcome run(StageContext context) {
      RunSummary summary = command.run(context.settings(), context.runId());
      return new StageOutcome(summary.outputs(), summary.counts());
    }
  }
}
