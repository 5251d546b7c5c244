package org.ewarn.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.io.RiskMarts;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.panel.PanelAction;
import org.ewarn.panel.PanelConfig;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import org.ewarn.run.SparkSessions;
import picocli.CommandLine.Command;

@Command(name = "panel", mixinStandardHelpOptions = true,
    description = {"Build the country-year and country-month panels from the warehouse.", "",
        "Marts written: ( panel_country_year, panel_country_month)."})
final class PanelCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    return run(settings, runId);
  }

  /** Binds {@code panel} and runs {@link PanelAction}: what {@code ewarn panel} and the nightly do. */
  static RunSummary run(Settings settings, String runId) {
    PanelConfig cfg = PanelConfig.from(settings);
    String root = settings.location("warehouse.root");
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("panel", runId, CodeVersion.of(settings.projectHome()),
        settings.hash("panel"), Instant.now(), List.of());
    try (RunLock lock = Warehouse.open(root).lock("panel", "ewarn panel")) {
      SparkSession spark = SparkSessions.start(settings.sparkProfile(), "ewarn panel");
      RiskMarts marts = CommandStorage.riskMarts(spark, settings);
      PanelAction.Result r = PanelAction.execute(spark, marts, cfg, run);
      System.err.printf("ewarn panel: vintage %s%s: %d country-years, %d country-months%n", r.vintage(),
          r.alreadyPublished() ? " (already published, nothing to do)" : "", r.countryYearRows(), r.countryMonthRows());
      return RunSummary.ok("panel", runId,
              Map.of(PanelAction.COUNTRY_YEAR, r.countryYear().location(),
                  PanelAction.COUNTRY_MONTH, r.countryMonth().location()),
              Map.of("country_years", r.countryYearRows(), "country_months", r.countryMonthRows()))
          .withDetails(Map.of("vintage", r.vintage(), "already_published", r.alreadyPublished()));
    }
  }
}
