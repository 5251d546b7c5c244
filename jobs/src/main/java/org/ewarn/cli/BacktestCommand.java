package org.ewarn.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.ewarn.backtest.BacktestAction;
import org.ewarn.backtest.BacktestSettings;
import org.ewarn.backtest.MonthlyModels;
import org.ewarn.config.Settings;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.model.ModelRegistry;
import org.ewarn.model.RiskModel;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import org.ewarn.run.StageFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = {
      "Back-test the configured risk models against the mass-killing onsets that happened.",
      "annual: the Early Warning Project's fully out-of-sample protocol (train on years <= L,",
      "score year L+2, warn with the larger risk / smaller rank of the two forecasts before);",
      "monthly: rolling origin on the country-month panel.",
      "Writes warnings, metrics, cases, lead_times and curves as CSV and as backtest_* marts."})
final class BacktestCommand extends StageCommand {
  @Option(names = "--protocol", defaultValue = "annual",
      description = "annual (default) or monthly.")
  BacktestAction.Protocol protocol;

  @Option(names = "--model", paramLabel = "ID",
      description = "Model to back-test (repeatable; default: backtest.models), e.g. elastic_net.")
  List<String> models = new ArrayList<>();

  @Override
  RunSummary execute(Settings settings, String runId) {
    BacktestAction.Result r = new BacktestAction(config(settings, protocol, models, runId)).execute();
    return RunSummary.ok("backtest", runId, r.outputs(), r.counts()).withDetails(r.details());
  }

  /**
   * The back-test's config record from the configuration: {@code ids} empty means the protocol's
   * configured models. The nightly's back-test stage binds it the same way.
   */
  static BacktestAction.Config config(Settings settings, BacktestAction.Protocol protocol, List<String> ids,
      String runId) {
    double jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    BacktestSettings config = BacktestSettings.from(settings);
    boolean monthly = protocol == BacktestAction.Protocol.MONTHLY;
    List<String> chosenIds = !ids.isEmpty() ? ids : monthly ? config.monthly().models() : config.models();
    // the monthly protocol has models of its own (MonthlyModels), the annual one the registry's
    List<RiskModel> chosen = monthly ? List.of() : resolve(chosenIds, settings);
    BacktestAction.Events events = events(settings);
    return new BacktestAction.Config(protocol, chosen, monthly ? monthlyIds(chosenIds) : List.of(), config,
        ElasticNetSettings.from(settings), events, settings.location("warehouse.root"), settings.projectHome(),
        settings.sparkProfile(), runId, CodeVersion.of(settings.projectHome()), settings.hash("backtest", "models"),
        jvmStarted);
  }

  /**
   * backtest.annual.events: columns[i] becomes names[i] by transforms[i] (log2 or indicator); with
   * coverage-flags[i] other than "none", a missing value reads as 0 and that flag feature says
   * where the event table had one (several columns of one source may share a flag).
   */
  static BacktestAction.Events events(Settings settings) {
    String k = "backtest.annual.events.";
    List<String> columns = settings.strings(k + "columns");
    List<String> names = settings.strings(k + "names");
    List<String> transforms = settings.strings(k + "transforms");
    List<String> flags = settings.strings(k + "coverage-flags");
    for (String list : List.of("names", "transforms", "coverage-flags")) {
      if (settings.strings(k + list).size() != columns.size()) {
        throw settings.problem(k + list, "one entry per column (" + columns.size() + "), got "
            + settings.strings(k + list).size());
      }
    }
    List<org.ewarn.backtest.EventFeatures.Feature> features = new java.util.ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      org.ewarn.backtest.EventFeatures.Transform transform = switch (transforms.get(i)) {
        case "log2" -> org.ewarn.backtest.EventFeatures.Transform.LOG2;
        case "indicator" -> org.ewarn.backtest.EventFeatures.Transform.INDICATOR;
        default -> throw settings.problem(k + "transforms", "log2 or indicator, not '" + transforms.get(i) + "'");
      };
      features.add(new org.ewarn.backtest.EventFeatures.Feature(columns.get(i), names.get(i), transform,
          flags.get(i).equals("none") ? null : flags.get(i)));
    }
    return new BacktestAction.Events(settings.string(k + "dataset"), settings.string(k + "code-column"), features);
  }

  /** The monthly protocol's model ids, checked against {@link MonthlyModels#IDS}. */
  static List<String> monthlyIds(List<String> ids) {
    for (String id : ids) {
      if (!MonthlyModels.IDS.contains(id)) {
        throw StageFailure.config("--model " + id + ": the monthly protocol's models are " + MonthlyModels.IDS);
      }
    }
    if (ids.isEmpty()) {
      throw StageFailure.config("backtest.monthly.models: at least one model id, e.g. [elastic_net]");
    }
    return List.copyOf(ids);
  }

  /**
   * Model ids to models through the model registry (the same ids and settings as the forecast):
   * the elastic net takes the back-test's in-memory path, every other model its Spark interface.
   */
  static List<RiskModel> resolve(List<String> ids, Settings settings) {
    List<String> available = ModelRegistry.available(settings);
    List<RiskModel> out = new ArrayList<>();
    for (String id : ids) {
      if (!available.contains(id)) {
        throw StageFailure.config("--model " + id + ": unknown model id; configured: " + available
            + " (baselines are models.baselines.<name>, id baseline_<name>)");
      }
      out.add(ModelRegistry.model(id, settings));
    }
    if (out.isEmpty()) {
      throw settings.problem("backtest.models", "at least one model id, e.g. [elastic_net]");
    }
    return out;
  }
}
