package org.ewarn.export;

import java.time.Clock;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.SparkMarts;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.SparkSessions;

/**
 * {@code ewarn export}: the notebook extracts of the latest marts ({@link NotebookExport}) on the
 * run's Spark session. The command and the nightly's export stage build the {@link Config} and call
 * {@link #execute()}.
 */
public final class ExportAction {
  /**
   * Everything one export needs, bound from the configuration at the edge.
   *
   * @param runDate the logical date recorded in the export manifest
   * @param configHash hash of the {@code export} section, for the manifest
   */
  public record Config(NotebookExport.Config export, String warehouseRoot, SparkProfile sparkProfile, String runId,
      LocalDate runDate, String codeVersion, String configHash) {}

  private final Config config;
  private final Clock clock;

  public ExportAction(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The export written and published; {@link NotebookExport.NothingToExport} when no mart of the contract is. */
  public NotebookExport.Result execute() {
    SparkSession spark = SparkSessions.start(config.sparkProfile(), "ewarn export");
    return new NotebookExport(config.export(), clock).execute(spark, SparkMarts.open(spark, config.warehouseRoot()),
        config.runId(), config.runDate(), config.codeVersion(), config.configHash());
  }
}
