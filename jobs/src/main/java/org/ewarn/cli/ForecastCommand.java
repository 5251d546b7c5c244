package org.ewarn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.ewarn.config.Settings;
import org.ewarn.model.ForecastAction;
import org.ewarn.model.ForecastConfig;
import org.ewarn.model.ModelRegistry;
import org.ewarn.model.RiskFactorProfiles;
import org.ewarn.model.UnFrameworkConfig;
import org.ewarn.model.RiskModel;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import picocli.CommandLine.Command;

@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = {"Train the risk models and publish this edition's country risk forecast.", "",
        "Publishes the forecast, its risk trajectory, drivers and UN Framework risk-factor profiles; prints the top countries on stderr."})
final class ForecastCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    return summary(runId, new ForecastAction(config(settings, runId)).execute());
  }

  /**
   * The forecast's config record from {@code forecast}, {@code models} and {@code un-framework};
   * the nightly's forecast stage binds it the same way.
   */
  static ForecastAction.Config config(Settings settings, String runId) {
    ForecastConfig cfg = ForecastConfig.from(settings);
    List<RiskModel> models = ModelRegistry.enabled(settings);
    List<RiskFactorProfiles.Factor> factors = UnFrameworkConfig.from(settings);
    return new ForecastAction.Config(cfg, models, factors, settings.location("warehouse.root"),
        settings.location("forecast.models-dir"), settings.location("output.root"), settings.sparkProfile(), runId,
        CodeVersion.of(settings.projectHome()), settings.hash("forecast", "models", "un-framework"));
  }

  /** Prints the top countries on stderr and returns the summary line's record (command and nightly). */
  static RunSummary summary(String runId, ForecastAction.Result r) {
    printTop(r);
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.putAll(r.marts());
    outputs.put("forecast_csv", r.csv());
    return RunSummary.ok("forecast", runId, outputs, r.counts())
        .withDetails(Map.of("edition", r.edition(), "already_published", r.alreadyPublished(),
            "editions_computed", r.editionsComputed()));
  }

  private static void printTop(ForecastAction.Result r) {
    if (r.top().isEmpty()) {
      System.err.println("ewarn forecast: edition " + r.edition() + ": no country scored");
      return;
    }
    Row first = r.top().get(0);
    System.err.printf("ewarn forecast: edition %s, model %s, risk of a new mass-killing onset within %d years%s%n",
        r.edition(), first.<String>getAs("model"), first.<Integer>getAs("horizon"),
        r.alreadyPublished() ? " (already published)" : "");
    System.err.printf("%4s  %-34s %5s %8s %9s  %s%n", "rank", "country", "ccode", "risk", "change", "flags");
    for (Row row : r.top()) {
      Double change = row.getAs("risk_change");
      StringBuilder flags = new StringBuilder();
      if (Boolean.TRUE.equals(row.getAs("risk_increased"))) {
        flags.append("increased ");
      }
      if (Boolean.TRUE.equals(row.getAs("consistently_high"))) {
        flags.append("consistently-high");
      }
      System.err.printf("%4d  %-34s %5d %7.2f%% %9s  %s%n", row.<Integer>getAs("rank"),
          abbreviate(row.getAs("country")), row.<Integer>getAs("ccode"), 100 * row.<Double>getAs("risk"),
          change == null ? "" : String.format("%+.2f pt", 100 * change), flags.toString().trim());
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 34 ? s : s.substring(0, 33) + "…";
  }
}
