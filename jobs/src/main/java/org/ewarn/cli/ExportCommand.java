package org.ewarn.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.export.ExportAction;
import org.ewarn.export.NotebookExport;
import org.ewarn.nightly.StageOutcome;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
      "Write notebook-ready extracts of the latest marts.", "",
      "Parquet and CSV per table, a data dictionary and the manifest go to",
      "<export.root>/<run-id>/; the notebooks of notebooks-exports/ are rendered",
      "to HTML beside them.",
      "Contract: notebooks-exports/CONTRACT.md. Settings: conf/export.conf."})
final class ExportCommand extends StageCommand {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
      description = "Logical date recorded in the export manifest (default: today, UTC).")
  LocalDate runDate;

  @Override
  RunSummary execute(Settings settings, String runId) {
    Clock clock = Clock.systemUTC();
    LocalDate date = runDate != null ? runDate : LocalDate.now(clock.withZone(ZoneOffset.UTC));
    NotebookExport.Result result = new ExportAction(config(settings, runId, date), clock).execute();
    result.warnings().forEach(w -> System.err.println("ewarn export: warning: " + w));
    StageOutcome outcome = ExportStage.outcome(result);
    return RunSummary.ok("export", runId, outcome.outputs(), outcome.counts())
        .withDetails(Map.of("run_date", date.toString(), "absent_marts", result.absentMarts(),
            "warnings", result.warnings()));
  }

  /** The export's config record from the {@code export} section; the nightly's export stage binds it the same way. */
  static ExportAction.Config config(Settings settings, String runId, LocalDate runDate) {
    return new ExportAction.Config(NotebookExport.Config.from(settings), settings.location("warehouse.root"),
        settings.sparkProfile(), runId, runDate, CodeVersion.of(settings.projectHome()), settings.hash("export"));
  }
}
