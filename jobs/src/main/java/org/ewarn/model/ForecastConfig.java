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
    long seed)
    implements Serializable {

  public ForecastConfig {
    features = List.copyOf(features);
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
        s.longValue("models.seed", 0));
  }
}
