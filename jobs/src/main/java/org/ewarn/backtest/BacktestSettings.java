package org.ewarn.backtest;

import java.nio.file.Path;
import java.util.List;
import org.ewarn.config.Settings;

/** The {@code backtest} section of the configuration, bound once. */
public record BacktestSettings(
    List<String> models,
    String outputDir,
    Annual annual,
    Monthly monthly,
    MetricsTable.Settings metrics,
    Timeliness.Flagging flagging,
    String outcomesDataset,
    List<Double> calibrationEdges,
    String skillReference) {

  /**
   * {@code concurrentFits}: MLlib fits (origins) run at once on the one Spark session;
   * {@code externalSources}: forecast files scored beside the models, by source id;
   * {@code longSourceYearShare}: a source forecasting at least this share of the back-test's
   * target years is in the long-running sources' common sample (sample = common_long).
   */
  public record Annual(
      String dataset, String countryColumn, String outcome, String onset, List<String> predictors,
      AnnualProtocol.Window window, int concurrentFits, java.util.Map<String, Path> externalSources,
      double longSourceYearShare) {
    public Annual(String dataset, String countryColumn, String outcome, String onset, List<String> predictors,
        AnnualProtocol.Window window, int concurrentFits, java.util.Map<String, Path> externalSources) {
      this(dataset, countryColumn, outcome, onset, predictors, window, concurrentFits, externalSources, 0.5);
    }
  }

  /**
   * {@code onset}: the panel's onset-month column (1 in the month an episode starts) whose value at
   * t + h is the lead-h target ({@link MonthlyOutcome}); {@code models}: the default models of this
   * protocol; {@code lambdaMinRatio}/{@code folds}: the elastic net's λ floor and CV folds here;
   * {@code persistenceColumn}/{@code persistenceMonths}: the persistence baseline's fact (any
   * value &gt; 0 in the last N months); {@code transform}: applied to every predictor.
   */
  public record Monthly(
      String dataset, String unitColumn, String nameColumn, String onset, List<String> predictors,
      String transform, String firstOrigin, String lastOrigin, int horizon, int refitEvery, int trainingMonths,
      List<String> models, double lambdaMinRatio, int lambdaCount, int folds, String skillReference, String persistenceColumn,
      int persistenceMonths, double negativeRate, MonthlyModels.Forest forest, Timeliness.Flagging flagging,
      int bootstrapReplicates) {}

  /** {@code id = file} entries; every file must exist (a typo fails here, not after the fits). */
  private static java.util.Map<String, Path> externalSources(Settings s, String key) {
    java.util.Map<String, Path> out = new java.util.LinkedHashMap<>();
    if (!s.has(key)) {
      return out;
    }
    for (String id : s.children(key)) {
      if (!id.matches("[a-z][a-z0-9_]*")) {
        throw s.problem(key, "source ids in lower case with digits and underscores, got '" + id + "'");
      }
      out.put(id, s.existingPath(key + "." + id));
    }
    return out;
  }

  public static BacktestSettings from(Settings s) {
    String a = "backtest.annual.";
    List<String> predictors = s.strings(a + "predictors");
    if (predictors.isEmpty()) {
      throw s.problem(a + "predictors", "a non-empty list of predictor columns");
    }
    int first = s.integer(a + "first-origin", 1900, 2100);
    int last = s.integer(a + "last-origin", 1900, 2100);
    if (last < first) {
      throw s.problem(a + "last-origin", "a year ≥ first-origin (" + first + "), got " + last);
    }
    Annual annual = new Annual(
        s.string(a + "dataset"), s.string(a + "country-column"), s.string(a + "outcome"),
        s.string(a + "onset"), predictors,
        new AnnualProtocol.Window(first, last, s.integer(a + "gap", 1, 50),
            s.integer(a + "first-warning-year", 1900, 2100)),
        s.integer(a + "concurrent-fits", 1, 64), externalSources(s, a + "external-sources"),
        s.number(a + "long-source-year-share", 0, 1));
    String m = "backtest.monthly.";
    String firstMonth = s.string(m + "first-origin");
    String lastMonth = s.string(m + "last-origin");
    for (String key : List.of(m + "first-origin", m + "last-origin")) {
      if (!s.string(key).matches("\\d{4}-\\d{2}")) {
        throw s.problem(key, "a month as YYYY-MM, got '" + s.string(key) + "'");
      }
    }
    if (lastMonth.compareTo(firstMonth) < 0) {
      throw s.problem(m + "last-origin", "a month ≥ first-origin (" + firstMonth + "), got " + lastMonth);
    }
    String onset = s.string(m + "onset");
    if (!MonthlyOutcome.looksAhead(onset)) {
      throw s.problem(m + "onset", "one of the panel's onset-month columns (os_escalation_onset, ewp_mk_onset_month,"
          + " pitf_gp_onset_month), got '" + onset + "'");
    }
    List<String> monthlyPredictors = s.strings(m + "predictors");
    for (String p : monthlyPredictors) {
      if (MonthlyOutcome.looksAhead(p)) {
        throw s.problem(m + "predictors", "columns known at the row's month; '" + p
            + "' describes the months after it (an outcome), so it would leak the answer");
      }
    }
    String transform = s.string(m + "predictor-transform");
    if (!List.of("none", "signed-log1p").contains(transform)) {
      throw s.problem(m + "predictor-transform", "none or signed-log1p, got '" + transform + "'");
    }
    List<String> monthlyModels = s.strings(m + "models");
    for (String id : monthlyModels) {
      if (!MonthlyModels.IDS.contains(id)) {
        throw s.problem(m + "models", "model ids of the monthly protocol " + MonthlyModels.IDS + ", got '" + id + "'");
      }
    }
    String f = m + "random-forest.";
    MonthlyModels.Forest forest = new MonthlyModels.Forest(s.integer(f + "trees", 1, 10_000),
        s.integer(f + "max-depth", 1, 30), s.integer(f + "min-instances-per-node", 1, 100_000),
        s.string(f + "feature-subset-strategy"));
    double monthlyFlagRisk = s.number(m + "flag-risk", 0, 1);
    int monthlyFlagRank = s.integer(m + "flag-rank", 0, 10_000);
    if (monthlyFlagRank == 0 && monthlyFlagRisk == 0) {
      throw s.problem(m + "flag-rank", "a rank > 0 or a flag-risk > 0: with both off nothing is ever flagged");
    }
    Monthly monthly = new Monthly(s.string(m + "dataset"), s.string(m + "unit-column"),
        s.string(m + "name-column"), onset, monthlyPredictors, transform,
        firstMonth, lastMonth, s.integer(m + "horizon", 1, 120), s.integer(m + "refit-every", 1, 120),
        s.integer(m + "training-months", 0, 12_000), monthlyModels,
        s.number(m + "lambda-min-ratio", 1e-6, 0.5), s.integer(m + "lambda-count", 2, 10_000),
        s.integer(m + "folds", 3, 100), s.string(m + "skill-reference"),
        s.string(m + "persistence-column"), s.integer(m + "persistence-months", 1, 120),
        s.number(m + "negative-rate", 1e-4, 1.0), forest,
        new Timeliness.Flagging(monthlyFlagRank, monthlyFlagRisk == 0 ? Double.NaN : monthlyFlagRisk,
            s.integer(m + "chronic-months", 1, 1200)),
        s.integer(m + "bootstrap-replicates", 0, 1_000_000));
    String x = "backtest.metrics.";
    List<Integer> ks = s.integers(x + "ks");
    for (int k : ks) {
      if (k < 1) {
        throw s.problem(x + "ks", "positive whole numbers, got " + k);
      }
    }
    List<Double> thresholds = s.numbers(x + "thresholds");
    for (double t : thresholds) {
      if (!(t > 0 && t < 1)) {
        throw s.problem(x + "thresholds", "probabilities between 0 and 1, got " + t);
      }
    }
    MetricsTable.Settings metrics = new MetricsTable.Settings(ks, s.integer(x + "precision-k", 1, 10_000),
        thresholds, s.integer(x + "bootstrap-replicates", 0, 1_000_000), s.longValue(x + "bootstrap-seed", 0),
        s.integer(x + "interval-recall-k", 1, 10_000), s.number(x + "confidence", 0.5, 0.999));
    String t = "backtest.timeliness.";
    double flagRisk = s.number(t + "flag-risk", 0, 1);
    int flagRank = s.integer(t + "flag-rank", 0, 10_000);
    if (flagRank == 0 && flagRisk == 0) {
      throw s.problem(t + "flag-rank", "a rank > 0 or a flag-risk > 0: with both off nothing is ever flagged");
    }
    Timeliness.Flagging flagging = new Timeliness.Flagging(flagRank, flagRisk == 0 ? Double.NaN : flagRisk,
        s.integer(t + "chronic-periods", 1, 100));
    List<Double> edges = s.numbers("backtest.calibration.edges");
    String badEdges = Calibration.invalid(edges);
    if (badEdges != null) {
      throw s.problem("backtest.calibration.edges", badEdges);
    }
    return new BacktestSettings(s.strings("backtest.models"), s.location("backtest.output-dir"), annual, monthly,
        metrics, flagging, s.string("backtest.external.outcomes-dataset"), List.copyOf(edges),
        s.string("backtest.metrics.skill-reference"));
  }
}
