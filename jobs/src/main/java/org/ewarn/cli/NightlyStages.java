package org.ewarn.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ewarn.export.ExportStage;
import org.ewarn.nightly.Stage;
import org.ewarn.nightly.StageContext;
import org.ewarn.nightly.StageOutcome;
import org.ewarn.run.RunSummary;

/**
 * The stages this build has, by name. Stage commands run through {@link CommandStage}, so the
 * nightly run does exactly what the stand-alone command does. A new stage registers with one line:
 * its name, the configuration sections it reads (their hash and the files they name are its
 * inputs), the stages it cannot run without, and its command, e.g.
 * {@code stages.put("panel", new CommandStage("panel", List.of("panel"), List.of("ingest"), PanelCommand::new));}
 */
final class NightlyStages {
  /** Every stage the pipeline defines, in order; a configured name outside this list is a typo. */
  static final List<String> PIPELINE = List.of("ingest", "panel", "forecast", "backtest", "export", "render");

  private NightlyStages() {}

  static Map<String, Stage> available(Clock clock) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put("ingest", new CommandStage("ingest", List.of("ingest", "quality"), List.of(), IngestCommand::new));
    stages.put("panel", new CommandStage("panel", List.of("panel"), List.of("ingest"), PanelCommand::new));
    stages.put("forecast", new CommandStage("forecast", List.of("forecast", "models", "un-framework"),
        List.of("panel"), ForecastCommand::new));
    stages.put("backtest", new CommandStage("backtest", List.of("backtest", "models"), List.of("ingest"),
        () -> {
          BacktestCommand annual = new BacktestCommand();
          annual.protocol = BacktestCommand.Protocol.ANNUAL; // picocli's default, unset outside picocli
          return annual;
        }));
    stages.put("export", new ExportStage(clock));
    stages.put("render", new CommandStage("render", List.of("reports"), List.of("forecast"), RenderCommand::new));
    return stages;
  }

  /** A stage command as a nightly stage: its summary's outputs and counts become the outcome. */
  record CommandStage(
      String name, List<String> configSections, List<String> requires, Supplier<StageCommand> command)
      implements Stage {
    @Override
    public StageOutcome run(StageContext context) {
      RunSummary summary = command.get().execute(context.settings(), context.runId());
      return new StageOutcome(summary.outputs(), summary.counts());
    }
  }
}
