package org.ewarn.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ewarn.export.ExportAction;
import org.ewarn.export.NotebookExport;
import org.ewarn.nightly.Stage;
import org.ewarn.nightly.StageContext;
import org.ewarn.nightly.StageOutcome;

/** The export step of the nightly pipeline: {@link ExportAction}, and a green run when nothing is published yet. */
public final class ExportStage implements Stage {
  private final Clock clock;

  public ExportStage(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "export";
  }

  @Override
  public List<String> configSections() {
    return List.of("export");
  }

  @Override
  public StageOutcome run(StageContext context) {
    try {
      return outcome(new ExportAction(ExportCommand.config(context.settings(), context.runId(), context.runDate()),
          clock).execute());
    } catch (NotebookExport.NothingToExport e) {
      // In the nightly run this only happens while the stages that write marts are not part of
      // the build: the run stays green and says so; `ewarn export` alone still fails.
      System.err.println("nightly: export: nothing exported: " + e.getMessage());
      return new StageOutcome(Map.of(), Map.of("exported_tables", 0L));
    }
  }

  public static StageOutcome outcome(NotebookExport.Result result) {
    Map<String, Long> counts = new LinkedHashMap<>();
    result.rows().forEach((k, v) -> counts.put("rows_" + k, v));
    counts.put("notebooks_rendered", (long) result.notebooks().size());
    return new StageOutcome(Map.of("notebooks_export", result.dir()), counts);
  }
}
