package org.ewarn.cli;

import org.ewarn.config.Settings;
import org.ewarn.run.RunSummary;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Load the configured sources into the versioned Parquet warehouse.")
final class IngestCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    throw new UnsupportedOperationException("not yet");
  }
}
