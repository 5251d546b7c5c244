package org.ewarn.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.io.RiskMarts;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.model.ForecastAction;
import org.ewarn.model.ForecastConfig;
import org.ewarn.model.ModelRegistry;
import org.ewarn.model.RiskFactorProfiles;
import org.ewarn.model.UnFrameworkConfig;
import org.ewarn.model.RiskModel;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import org.ewarn.run.SparkSessions;
import picocli.CommandLine.Command;

@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = {"Train the risk models and publish this edition's country risk forecast.", "",
        "Publishes the forecast, its risk trajectory, drivers and UN Framework risk-factor profiles; prints the top countries on stderr."})
final class ForecastCommand extends StageCommand {
  @Override
  RunSummary execute(Settings settings, String runId) {
    return run(settings, runId);
  }

  /** Binds {@code forecast}, {@code models}, {@code un-framework} and runs {@link ForecastAction}. */
  static RunSummary run(Settings settings, String runId) {
    ForecastConfig cfg = ForecastConfig.from(settings);
    List<RiskModel> models = ModelRegistry.enabled(settings);
    List<RiskFactorProfiles.Factor> factors = UnFrameworkConfig.from(settings);
    String root = settings.location("warehouse.root");
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("forecast", runId, CodeVersion.of(settings.projectHome()),
        settings.hash("forecast", "models", "un-framework"), Instant.now(), List.of());
    try (RunLock lock = Warehouse.open(root).lock("forecast", "ewarn forecast")) {
      SparkSession spark = SparkSessions.start(settings.sparkProfile(), "ewarn forecast");
      RiskMarts marts = CommandStorage.riskMarts(spark, settings);
      ForecastAction.Result r = ForecastAction.execute(spark, marts, cfg, models, factors, run);
      printTop(r);
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.putAll(r.marts());
      outputs.put("forecast_csv", r.csv());
      return RunSummary.ok("forecast", runId, outputs, r.counts())
          .withDetails(Map.of("edition", r.edition(), "already_published", r.alreadyPublished(),
              "editions_computed", r.editionsComputed()));
    }
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
