package org.ewarn.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.reports.MartSource;
import org.ewarn.reports.RenderConfig;
import org.ewarn.reports.RenderFailure;
import org.ewarn.reports.RenderProcess;
import org.ewarn.reports.RenderResult;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.ExitCode;
import org.ewarn.run.RunSummary;
import org.ewarn.run.StageFailure;
import picocli.CommandLine.Command;

@Command(name = "render", mixinStandardHelpOptions = true,
    description = {
      "Render the annual report appendices A-E as PDF from the published marts.", "",
      "One PDF per appendix and language, plus one volume, into",
      "<output.root>/reports/<year>/<edition>/. Unchanged appendices",
      "are left alone; changed ones become the next version (_v02, ...). Settings: reports.*.",
      "Reads the marts of the run <output.root>/latest.json names (reports.marts = last-run),",
      "so a nightly run publishing meanwhile is never mixed in; reports.marts = live reads",
      "each mart's newest partition.",
      "Runs in a child JVM of its own: no Spark session is started."})
final class RenderCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    return run(settings, runId, null);
  }

  /**
   * Binds {@code reports} and renders. {@code runOutputs} are, in the nightly, the outputs of its
   * run's stages so far: the render reads the marts they name, not those of the previous run that
   * {@code latest.json} still names; null for {@code ewarn render}.
   */
  static RunSummary run(Settings settings, String runId, Map<String, String> runOutputs) {
    RenderResult result;
    try {
      // JasperReports in a JVM of its own, from the marts: a render never starts Spark.
      result = RenderProcess.execute(config(settings, runId, runOutputs));
    } catch (RenderFailure e) {
      ExitCode code = e.isLocked() ? ExitCode.LOCKED : e.isDataProblem() ? ExitCode.FAILURE : ExitCode.USAGE_OR_CONFIG;
      throw new StageFailure(code, e.getMessage(), e.getCause());
    }
    Map<String, String> outputs = outputs(result);
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("written", (long) result.written().size());
    counts.put("unchanged", (long) result.unchanged().size());
    counts.put("pages", result.pages().values().stream().mapToLong(Integer::longValue).sum());
    RunSummary summary = RunSummary.ok("render", runId, outputs, counts);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("edition", result.edition());
    details.put("marts", result.marts());
    if (!result.notes().isEmpty()) {
      details.put("no_data", result.notes());
    }
    return summary.withDetails(details);
  }

  /** What to render: the reports section, and which run's marts (this run's in the nightly). */
  static RenderConfig config(Settings settings, String runId, Map<String, String> runOutputs) {
    return new RenderConfig(
        settings.location("warehouse.root"),
        settings.location("output.root"),
        settings.strings("reports.languages"),
        settings.string("reports.edition"),
        settings.integer("reports.year", 0, 9999),
        runDate(settings),
        runId,
        settings.string("reports.model"),
        settings.integer("reports.top", 1, 10_000),
        CodeVersion.of(settings.projectHome()),
        runOutputs != null
            ? MartSource.run("nightly run " + runId, Instant.now(), runOutputs)
            : MartSource.setting(settings.string("reports.marts")));
  }

  private static LocalDate runDate(Settings settings) {
    String s = settings.string("reports.run-date");
    if (s.isBlank()) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw settings.problem("reports.run-date", "a date YYYY-MM-DD or \"\", got '" + s + "'");
    }
  }

  /**
   * The run's outputs: the edition's folder, its index and every PDF of the edition, not only those
   * this run wrote: a render resumed after a kill finds the ones the killed run finished already
   * published, and the run's outputs (and so {@code latest.json}) must still name them.
   */
  static Map<String, String> outputs(RenderResult result) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("directory", result.directory());
    outputs.put("index", result.indexMarkdown());
    outputs.put("index_html", result.indexHtml());
    for (String location : java.util.stream.Stream.concat(result.written().stream(), result.unchanged().stream())
        .sorted().toList()) {
      outputs.put(location.substring(location.lastIndexOf('/') + 1), location);
    }
    return outputs;
  }
}
