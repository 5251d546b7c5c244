package org.ewarn.model;

import java.io.Serializable;
import java.util.List;
import org.ewarn.config.Settings;

/**
 * The {@code forecast} section plus the shared model inputs ({@code models.features},
 * {@code models.seed}).
 *
 * @param edition the predictor year to score, or null for the latest year of the panel
 */
public record ForecastConfig(
    Integer edition,
    String twoYearOutcome,
    int twoYearGap,
    boolean oneYear,
    String oneYearOutcome,
    int oneYearGap,
    int firstEdition,
    RiskTables.FlagRules flags,
    String primaryModel,
    String csvDir,
    List<String> features,
    long seed,
    PrimaryModel.Settings primary,
    double intervalLevel,
    int intervalReplicates)
    implements Serializable {

  public ForecastConfig {
    features = List.copyOf(features);
  }

  /** The same configuration with the primary model the back-test chose. */
  public ForecastConfig withPrimaryModel(String model) {
    return new ForecastConfig(edition, twoYearOutcome, twoYearGap, oneYear, oneYearOutcome, oneYearGap, firstEdition,
        flags, model, csvDir, features, seed, primary, intervalLevel, intervalReplicates);
  }

  public static ForecastConfig from(Settings s) {
    String edition = s.string("forecast.edition");
    Integer year = null;
    if (!edition.equals("auto")) {
      if (!edition.matches("\\d{4}")) {
        throw s.problem("forecast.edition", "auto or a predictor year such as 2024");
      }
      year = Integer.parseInt(edition);
    }
    List<String> features = s.strings("models.features");
    if (features.isEmpty()) {
      throw s.problem("models.features", "a non-empty list of panel columns");
    }
    return new ForecastConfig(
        year,
        s.string("forecast.two-year.outcome"),
        s.integer("forecast.two-year.train-gap-years", 1, 10),
        s.flag("forecast.one-year.enabled"),
        s.string("forecast.one-year.outcome"),
        s.integer("forecast.one-year.train-gap-years", 1, 10),
        s.integer("forecast.trajectory.first-edition", 1900, 2200),
        new RiskTables.FlagRules(
            s.integer("forecast.flags.top-n", 1, 1000),
            s.number("forecast.flags.risk-increased.min-change", 0, 1),
            s.number("forecast.flags.risk-increased.min-ratio", 0, 1000),
            s.integer("forecast.flags.consistently-high.editions", 1, 100)),
        s.string("forecast.primary-model"),
        s.string("forecast.csv-dir"),
        features,
        s.longValue("models.seed", 0),
        primary(s),
        s.number("forecast.interval.level", 0.5, 0.99),
        s.integer("forecast.interval.replicates", 0, 100_000));
  }

  /**
   * {@code forecast.primary-rule} over {@code forecast.primary-model} (the default); candidates
   * [] = every enabled model except the baselines.
   */
  static PrimaryModel.Settings primary(Settings s) {
    String k = "forecast.primary-rule.";
    String rule = s.string(k + "rule");
    PrimaryModel.Rule r = java.util.Arrays.stream(PrimaryModel.Rule.values()).filter(x -> x.label().equals(rule))
        .findFirst().orElseThrow(() -> s.problem(k + "rule", "margin, best-auc or fixed, got '" + rule + "'"));
    List<String> enabled = s.strings("models.enabled");
    List<String> candidates = s.strings(k + "candidates");
    if (candidates.isEmpty()) {
      candidates = enabled.stream().filter(id -> !id.startsWith(ModelRegistry.BASELINE_PREFIX)).toList();
    }
    for (String c : candidates) {
      if (!enabled.contains(c)) {
        throw s.problem(k + "candidates", "models of models.enabled " + enabled + ", got '" + c + "'");
      }
    }
    String def = s.string("forecast.primary-model");
    if (!enabled.contains(def)) {
      throw s.problem("forecast.primary-model", "a model of models.enabled " + enabled + ", got '" + def + "'");
    }
    return new PrimaryModel.Settings(r, def, s.number(k + "auc-margin", 0, 1), s.integer(k + "recall-k", 1, 10_000),
        candidates);
  }
}
