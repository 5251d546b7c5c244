package org.ewarn.cli;

import java.util.Map;
import org.ewarn.config.Settings;
import org.ewarn.panel.PanelAction;
import org.ewarn.panel.PanelConfig;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import picocli.CommandLine.Command;

@Command(name = "panel", mixinStandardHelpOptions = true,
    description = {"Build the country-year and country-month panels from the warehouse.", "",
        "Marts written: ( panel_country_year, panel_country_month)."})
final class PanelCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    return summary(runId, new PanelAction(config(settings, runId)).execute());
  }

  /** The panel's config record from the {@code panel} section; the nightly's panel stage binds it the same way. */
  static PanelAction.Config config(Settings settings, String runId) {
    return new PanelAction.Config(PanelConfig.from(settings), settings.location("warehouse.root"),
        settings.location("forecast.models-dir"), settings.location("output.root"), settings.sparkProfile(), runId,
        CodeVersion.of(settings.projectHome()), settings.hash("panel"));
  }

  /** Prints what the panel published on stderr and returns the summary line's record (command and nightly). */
  static RunSummary summary(String runId, PanelAction.Result r) {
    System.err.printf("ewarn panel: vintage %s%s: %d country-years, %d country-months%n", r.vintage(),
        r.alreadyPublished() ? " (already published, nothing to do)" : "", r.countryYearRows(), r.countryMonthRows());
    return RunSummary.ok("panel", runId,
            Map.of(PanelAction.COUNTRY_YEAR, r.countryYear().location(),
                PanelAction.COUNTRY_MONTH, r.countryMonth().location()),
            Map.of("country_years", r.countryYearRows(), "country_months", r.countryMonthRows()))
        .withDetails(Map.of("vintage", r.vintage(), "already_published", r.alreadyPublished()));
  }
}
