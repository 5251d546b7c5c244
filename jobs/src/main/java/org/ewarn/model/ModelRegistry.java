package org.ewarn.model;

import java.util.ArrayList;
import java.util.List;
import org.ewarn.config.Settings;

/**
 * Model ids to configured models, from the {@code models} section: {@code elastic_net},
 * {@code random_forest}, {@code gbt}, {@code ensemble} and {@code baseline_<name>} for every entry
 * of {@code models.baselines}. The forecast and the back-test resolve ids here.
 */
public final class ModelRegistry {
  public static final String RANDOM_FOREST = "random_forest";
  public static final String GBT = "gbt";
  public static final String ENSEMBLE = "ensemble";
  public static final String BASELINE_PREFIX = "baseline_";
  /** elastic_net_events, random_forest_events, gbt_events, ensemble_events: with event features. */
  public static final String EVENTS_SUFFIX = "_events";
  static final String MLLIB = "mllib";
  static final String XGBOOST = "xgboost";

  private ModelRegistry() {}

  /** The models listed in {@code models.enabled}, in that order. */
  public static List<RiskModel> enabled(Settings settings) {
    List<RiskModel> out = new ArrayList<>();
    for (String id : settings.strings("models.enabled")) {
      out.add(model(id, settings));
    }
    if (out.isEmpty()) {
      throw settings.problem("models.enabled", "at least one model id, e.g. [elastic_net]");
    }
    return out;
  }

  public static List<String> available(Settings settings) {
    List<String> ids = new ArrayList<>(List.of(ElasticNet.ID, RANDOM_FOREST, GBT, ENSEMBLE));
    settings.children("models.baselines").forEach(b -> ids.add(BASELINE_PREFIX + b));
    if (settings.has("models.events")) {
      for (String base : List.of(ElasticNet.ID, RANDOM_FOREST, GBT, ENSEMBLE)) {
        ids.add(base + EVENTS_SUFFIX);
      }
    }
    return ids;
  }

  public static RiskModel model(String id, Settings settings) {
    if (id.endsWith(EVENTS_SUFFIX) && settings.has("models.events")) {
      String baseId = id.substring(0, id.length() - EVENTS_SUFFIX.length());
      List<String> events = settings.strings("models.events.features");
      if (baseId.equals(ENSEMBLE)) {
        List<RiskModel> members = new ArrayList<>();
        for (String m : settings.strings("models.events.ensemble-members")) {
          if (!m.endsWith(EVENTS_SUFFIX) || m.equals(id)) {
            throw settings.problem("models.events.ensemble-members", "event-informed model ids other than " + id
                + " (e.g. elastic_net_events), got '" + m + "'");
          }
          members.add(model(m, settings));
        }
        return new EnsembleRiskModel(id, members);
      }
      if (List.of(ElasticNet.ID, RANDOM_FOREST, GBT).contains(baseId)) {
        return new EventInformed(id, model(baseId, settings), events);
      }
    }
    switch (id) {
      case ElasticNet.ID:
        return new ElasticNet(ElasticNetSettings.from(settings));
      case RANDOM_FOREST: {
        String s = "models.random-forest.";
        int trees = settings.integer(s + "trees", 1, 10_000);
        int maxDepth = settings.integer(s + "max-depth", 1, 30);
        int minInstances = settings.integer(s + "min-instances-per-node", 1, 100_000);
        String strategy = settings.string(s + "feature-subset-strategy");
        if (engine(settings, s).equals(XGBOOST)) {
          String x = s + "xgboost.";
          return new XGBoostTrees(id, new XGBoostTrees.Forest(trees, maxDepth, minInstances, strategy,
              settings.number(x + "subsample", 1e-6, 1.0), settings.number(x + "reg-lambda", 0, 1e6),
              settings.integer(x + "threads", 0, 1024)));
        }
        return new PipelineRiskModel(id, new PipelineRiskModel.RandomForest(trees, maxDepth, minInstances, strategy,
            settings.number(s + "subsampling-rate", 1e-6, 1.0)), null);
      }
      case GBT: {
        String s = "models.gbt.";
        int iterations = settings.integer(s + "iterations", 1, 10_000);
        int maxDepth = settings.integer(s + "max-depth", 1, 30);
        double step = settings.number(s + "step-size", 1e-6, 1.0);
        double subsampling = settings.number(s + "subsampling-rate", 1e-6, 1.0);
        if (engine(settings, s).equals(XGBOOST)) {
          String x = s + "xgboost.";
          return new XGBoostTrees(id, new XGBoostTrees.Boosting(iterations, maxDepth, step, subsampling,
              settings.number(x + "reg-lambda", 0, 1e6), settings.integer(x + "threads", 0, 1024)));
        }
        return new PipelineRiskModel(id, new PipelineRiskModel.GradientBoostedTrees(iterations, maxDepth, step,
            subsampling), null);
      }
      case ENSEMBLE: {
        List<RiskModel> members = new ArrayList<>();
        for (String m : settings.strings("models.ensemble.members")) {
          if (m.equals(ENSEMBLE)) {
            throw settings.problem("models.ensemble.members", "model ids other than ensemble itself");
          }
          members.add(model(m, settings));
        }
        if (members.isEmpty()) {
          throw settings.problem("models.ensemble.members", "at least one model id");
        }
        return new EnsembleRiskModel(id, members);
      }
      default:
        if (id.startsWith(BASELINE_PREFIX) && settings.has("models.baselines." + id.substring(BASELINE_PREFIX.length()))) {
          return baseline(id, settings, "models.baselines." + id.substring(BASELINE_PREFIX.length()));
        }
        throw settings.problem("models.enabled",
            "model ids from " + available(settings) + ", got '" + id + "'");
    }
  }

  /** {@code engine} of a tree model's section: mllib (distributed) or xgboost (in memory on the driver). */
  private static String engine(Settings settings, String section) {
    String engine = settings.string(section + "engine");
    if (!engine.equals(MLLIB) && !engine.equals(XGBOOST)) {
      throw settings.problem(section + "engine", MLLIB + " or " + XGBOOST + ", got '" + engine + "'");
    }
    return engine;
  }

  private static RiskModel baseline(String id, Settings settings, String key) {
    String kind = settings.string(key + ".kind");
    return switch (kind) {
      case "frequency" -> new FrequencyBaseline(id, settings.string(key + ".predictor"),
          settings.number(key + ".threshold", -1e300, 1e300));
      case "logistic" -> new PipelineRiskModel(id, new PipelineRiskModel.Logistic(), settings.strings(key + ".predictors"));
      default -> throw settings.problem(key + ".kind", "frequency or logistic, got '" + kind + "'");
    };
  }
}
