package org.ewarn.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The forecast manifest's description of its models, outcome and data citation. */
final class MethodProperties {
  private MethodProperties() {}

  /** The EWP attribution its data terms ask for (jobs/data/NOTICE.md), cited in appendix E. */
  static final String EWP_CITATION = "Early Warning Project, United States Holocaust Memorial Museum,"
      + " Statistical Risk Assessment 2025: mass-killing episode list and prepared predictors"
      + " (github.com/EarlyWarningProject/2025-Statistical-Risk-Assessment)";

  /** "XGBoost" for the in-memory tree engine, "MLlib" for models saved before engines existed too. */
  private static String engine(Map<String, String> metadata) {
    return "xgboost".equals(metadata.get("engine")) ? "XGBoost" : "MLlib";
  }

  /**
   * What the readers of appendix E (data and methods) see of each published model: {@code
   * model.<id>} one line saying what it is and how it was trained, {@code model.outcome} the
   * outcomes and horizons, {@code citation.ewp}. Built from the fitted models' metadata so the
   * text cannot drift from what was actually trained.
   */
  static Map<String, String> of(Map<String, FittedRiskModel> fitted, ForecastConfig cfg) {
    Map<String, String> p = new LinkedHashMap<>();
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      Map<String, String> m = e.getValue().metadata();
      String what = switch (m.getOrDefault("algorithm", e.getKey())) {
        case ElasticNet.ID -> "logistic elastic net (EWP specification), alpha " + m.get("alpha")
            + ", standardised predictors, complete cases, lambda = " + shortNumber(m.get("lambda")) + " chosen by "
            + m.get("folds") + "-fold CV on binomial deviance (" + m.get("nonzero_coefficients")
            + " non-zero coefficients)";
        case "random_forest" -> engine(m) + " random forest, " + m.get("trees") + " trees, max depth "
            + m.get("max_depth") + ", min " + m.get("min_instances_per_node") + " rows per leaf, features per split "
            + m.get("feature_subset_strategy")
            + (m.containsKey("subsample") ? ", each tree on " + m.get("subsample") + " of the rows" : "");
        case "gbt" -> engine(m) + " gradient-boosted trees (logistic loss), " + m.get("iterations")
            + " iterations, max depth " + m.get("max_depth") + ", step " + m.get("step_size") + ", subsampling "
            + m.get("subsampling_rate");
        case "unweighted_average" -> "unweighted average of the risks of " + m.get("members");
        case "frequency" -> "baseline: onset rate of the training rows with " + m.get("features") + " > "
            + shortNumber(m.get("threshold")) + " (" + shortNumber(m.get("risk_above_threshold")) + ") or not ("
            + shortNumber(m.get("risk_at_or_below_threshold")) + ")";
        case "logistic_regression" -> "baseline: unpenalised logistic regression on " + m.get("features");
        default -> m.getOrDefault("algorithm", e.getKey());
      };
      String positives = m.get("training_positives") == null ? "" : ", " + m.get("training_positives") + " onsets";
      p.put("model." + e.getKey(), what + "; seed " + m.get("seed") + "; trained on " + m.get("training_years")
          + " (" + m.get("training_rows") + " country-years" + positives + ")");
    }
    p.put("model.outcome", cfg.twoYearOutcome() + " = a new mass-killing onset in year t+1 or t+"
        + cfg.twoYearGap() + ", from predictors of year t" + (cfg.oneYear()
            ? "; one-year models: " + cfg.oneYearOutcome() + " = onset in t+" + cfg.oneYearGap() : ""));
    p.put("citation.ewp", EWP_CITATION);
    return p;
  }

  /** Four significant digits, no trailing zeros; the input unchanged if it is not a number. */
  static String shortNumber(String d) {
    try {
      return new java.math.BigDecimal(Double.parseDouble(d), new java.math.MathContext(4)).stripTrailingZeros()
          .toPlainString();
    } catch (RuntimeException e) {
      return String.valueOf(d);
    }
  }
}
