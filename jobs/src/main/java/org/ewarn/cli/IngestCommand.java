package org.ewarn.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.ingest.IngestAction;
import org.ewarn.ingest.IngestConfig;
import org.ewarn.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Load conflict and atrocity data into the versioned Parquet warehouse.",
      "",
      "Reads the sources configured under ingest.sources (conf/ingest.conf) and publishes each as",
      "<warehouse.root>/<dataset>/vintage=<label>/ with a _MANIFEST.json, a <dataset>_quarantine",
      "of rejected rows with reason codes, and a <dataset>_unmatched report of unknown country",
      "codes. Re-ingesting a published vintage from the same files does nothing; new data needs",
      "a new vintage label. Exit 3 when a source fails its data-quality gate (quality.conf)."
    })
final class IngestCommand extends StageCommand {
  @Option(names = "--source", paramLabel = "NAME",
      description = "Only this source (repeatable); default: every configured source.")
  List<String> only = List.of();

  @Override
  RunSummary execute(Settings settings, String runId) {
    return summary(runId, executeShowingSources(new IngestAction(config(settings, runId, only))));
  }

  /**
   * The ingest's config record from {@code ingest} and {@code quality} for the sources named (none:
   * all); the nightly's ingest stage binds it the same way.
   */
  static IngestAction.Config config(Settings settings, String runId, List<String> only) {
    return new IngestAction.Config(IngestConfig.from(settings, new LinkedHashSet<>(only)), settings.sparkProfile(),
        runId);
  }

  /**
   * Runs the ingest and prints its table of sources on stderr, also when a source failed its
   * quality gate, so the user sees which one (command and nightly).
   */
  static IngestAction.Result executeShowingSources(IngestAction action) {
    try {
      IngestAction.Result result = action.execute();
      printTable(result);
      return result;
    } catch (IngestAction.GateFailed e) {
      printTable(e.result());
      throw e;
    }
  }

  /** The summary line's record of an ingest (command and nightly). */
  static RunSummary summary(String runId, IngestAction.Result result) {
    Map<String, String> outputs = new LinkedHashMap<>(result.crosswalks());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (IngestAction.SourceOutcome o : result.sources()) {
      if (o.partition() != null) {
        outputs.put(o.dataset() + "@" + o.vintage(), o.partition());
        if (o.quarantine() != null) {
          outputs.put(o.dataset() + "_quarantine@" + o.vintage(), o.quarantine());
        }
      }
    }
    for (String c : List.of("rows_read", "accepted", "quarantined", "duplicates")) {
      counts.put(c, result.total(c));
    }
    counts.put("sources", (long) result.sources().size());
    counts.put("sources_published", result.sources().stream().filter(o -> o.status().equals("published")).count());
    counts.put("sources_unchanged", result.sources().stream().filter(o -> o.status().equals("unchanged")).count());
    return RunSummary.ok("ingest", runId, outputs, counts);
  }

  private static void printTable(IngestAction.Result result) {
    System.err.printf("%-28s %-26s %-10s %-20s %9s %9s %9s %6s%n", "source", "dataset", "vintage",
        "status", "read", "accepted", "quarant.", "dupl.");
    for (IngestAction.SourceOutcome o : result.sources()) {
      System.err.printf("%-28s %-26s %-10s %-20s %9d %9d %9d %6d%n", o.source(), o.dataset(), o.vintage(),
          o.status(), o.counts().getOrDefault("rows_read", 0L), o.counts().getOrDefault("accepted", 0L),
          o.counts().getOrDefault("quarantined", 0L), o.counts().getOrDefault("duplicates", 0L));
    }
  }
}
