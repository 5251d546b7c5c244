package org.ewarn.backtest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.ewarn.model.ElasticNetCv;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.model.FittedRiskModel;
import org.ewarn.model.ModelInputs;
import org.ewarn.model.RiskModel;
import org.ewarn.model.XGBoostTrees;

/**
 * The Early Warning Project's "fully out-of-sample" annual back-test: for each last training year
 * L, train on the complete-case rows with year ≤ L and score the complete-case rows of year L+2
 * (the forecast "made" in L+2); the warning for country-year Y is the larger risk and smaller rank
 * of the forecasts made in Y−1 and Y−2.
 */
public final class AnnualProtocol {
  private AnnualProtocol() {}

  /** Origins L = firstOrigin … lastOrigin; forecasts scored on year L + gap; warnings from firstWarningYear. */
  public record Window(int firstOrigin, int lastOrigin, int gap, int firstWarningYear) implements Serializable {
    public Window {
      if (lastOrigin < firstOrigin) {
        throw new IllegalArgumentException("last origin " + lastOrigin + " is before first origin " + firstOrigin);
      }
    }
  }

  /** Trains on complete rows and returns a scorer: the in-memory path every model can offer. */
  @FunctionalInterface
  public interface Trainer {
    Scorer train(double[][] x, double[] y);
  }

  @FunctionalInterface
  public interface Scorer {
    double risk(double[] row);
  }

  /** The elastic-net fast path: cv.glmnet in memory. */
  public static Trainer elasticNet(ElasticNetSettings settings) {
    return (x, y) -> ElasticNetCv.fit(x, y, settings)::risk;
  }

  /** The XGBoost tree models' path: the trees grown in memory with {@code seed}. */
  public static Trainer trees(XGBoostTrees model, long seed) {
    return (x, y) -> model.train(x, y, seed)::risk;
  }

  /**
   * Forecasts of every origin with an in-memory trainer. Origins run in parallel (each is
   * independent and deterministic); the result is in origin order whatever the scheduling.
   */
  public static List<Forecast> forecasts(String model, CountryYears panel, Window window, Trainer trainer) {
    return forecasts(model, panel, window, trainer, (origin, seconds) -> {});
  }

  /** Told when an origin's model is fitted and scored, from whichever thread did it. */
  @FunctionalInterface
  public interface OriginDone {
    void fitted(int origin, double seconds);
  }

  /** As {@link #forecasts(String, CountryYears, Window, Trainer)}, telling {@code done} about each origin. */
  public static List<Forecast> forecasts(String model, CountryYears panel, Window window, Trainer trainer,
      OriginDone done) {
    return IntStream.rangeClosed(window.firstOrigin(), window.lastOrigin()).parallel()
        .mapToObj(origin -> {
          long t0 = System.nanoTime();
          List<Forecast> f = originForecasts(model, panel, origin, window.gap(), trainer);
          done.fitted(origin, (System.nanoTime() - t0) / 1e9);
          return f;
        })
        .flatMap(List::stream)
        .toList();
  }

  static List<Forecast> originForecasts(String model, CountryYears panel, int origin, int gap, Trainer trainer) {
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<Integer> scored = new ArrayList<>();
    for (int i = 0; i < panel.size(); i++) {
      if (panel.year()[i] <= origin && panel.complete(i)) {
        xs.add(panel.x()[i]);
        ys.add(panel.outcome()[i]);
      } else if (panel.year()[i] == origin + gap && panel.completePredictors(i)) {
        scored.add(i);
      }
    }
    if (scored.isEmpty() || xs.isEmpty()) {
      return List.of();
    }
    Scorer scorer = trainer.train(xs.toArray(double[][]::new), ys.stream().mapToDouble(Double::doubleValue).toArray());
    double[] risks = new double[scored.size()];
    for (int k = 0; k < risks.length; k++) {
      risks[k] = scorer.risk(panel.x()[scored.get(k)]);
    }
    int[] ranks = minRanks(risks);
    List<Forecast> out = new ArrayList<>(risks.length);
    for (int k = 0; k < risks.length; k++) {
      int i = scored.get(k);
      out.add(new Forecast(model, origin, origin + gap, panel.ccode()[i], panel.country()[i], risks[k], ranks[k]));
    }
    return out;
  }

  /**
   * Forecasts of any configured {@link RiskModel} through its Spark interface, one origin at a
   * time (the models themselves are distributed).
   */
  public static List<Forecast> forecasts(
      RiskModel model, ModelInputs inputs, Dataset<Row> predictors, String countryColumn, Window window) {
    List<Forecast> out = new ArrayList<>();
    for (int origin = window.firstOrigin(); origin <= window.lastOrigin(); origin++) {
      out.addAll(originForecasts(model, inputs, predictors, countryColumn, origin, window.gap()));
    }
    return out;
  }

  /**
   * One origin of a model's Spark interface: fitted on the rows with year ≤ {@code origin},
   * scored on the rows of year origin + gap complete in every predictor of {@code inputs} (the
   * rows the in-memory path scores). Safe to call from several threads on one session.
   */
  public static List<Forecast> originForecasts(
      RiskModel model, ModelInputs inputs, Dataset<Row> predictors, String countryColumn, int origin, int gap) {
    Column complete = functions.lit(true);
    for (String f : inputs.features()) {
      complete = complete.and(functions.col(f).isNotNull()).and(functions.not(functions.isnan(functions.col(f).cast("double"))));
    }
    FittedRiskModel fitted = model.fit(predictors.filter(functions.col("year").leq(origin)), inputs);
    Dataset<Row> target = predictors.filter(functions.col("year").equalTo(origin + gap).and(complete));
    List<Row> rows = fitted.score(target)
        .select(functions.col("ccode").cast("int"), functions.col(countryColumn).cast("string"),
            functions.col("risk").cast("double"))
        .orderBy("ccode").collectAsList();
    double[] risks = rows.stream().mapToDouble(r -> r.getDouble(2)).toArray();
    int[] ranks = minRanks(risks);
    List<Forecast> out = new ArrayList<>(rows.size());
    for (int k = 0; k < rows.size(); k++) {
      out.add(new Forecast(model.id(), origin, origin + gap, rows.get(k).getInt(0), rows.get(k).getString(1),
          risks[k], ranks[k]));
    }
    return out;
  }

  /**
   * One origin of a frequency baseline in memory, the same numbers as
   * {@link org.ewarn.model.FrequencyBaseline} through Spark: trained on the rows with year ≤
   * origin whose outcome and own predictor (column {@code column} of the panel) are known (not
   * the complete cases of every predictor: the baseline needs only its one fact), scored on the
   * rows of year origin + gap complete in every predictor.
   */
  public static List<Forecast> frequencyForecasts(String model, CountryYears panel, int column, double threshold,
      int origin, int gap) {
    double[] above = new double[2];
    double[] notAbove = new double[2];
    List<Integer> scored = new ArrayList<>();
    for (int i = 0; i < panel.size(); i++) {
      double v = panel.x()[i][column];
      if (panel.year()[i] <= origin && !Double.isNaN(v) && !Double.isNaN(panel.outcome()[i])) {
        double[] side = v > threshold ? above : notAbove;
        side[0] += panel.outcome()[i];
        side[1]++;
      } else if (panel.year()[i] == origin + gap && panel.completePredictors(i)) {
        scored.add(i);
      }
    }
    if (scored.isEmpty() || above[1] + notAbove[1] == 0) {
      return List.of();
    }
    double riskAbove = above[1] == 0 ? 0.0 : above[0] / above[1];
    double riskNotAbove = notAbove[1] == 0 ? 0.0 : notAbove[0] / notAbove[1];
    double[] risks = new double[scored.size()];
    for (int k = 0; k < risks.length; k++) {
      risks[k] = panel.x()[scored.get(k)][column] > threshold ? riskAbove : riskNotAbove;
    }
    int[] ranks = minRanks(risks);
    List<Forecast> out = new ArrayList<>(risks.length);
    for (int k = 0; k < risks.length; k++) {
      int i = scored.get(k);
      out.add(new Forecast(model, origin, origin + gap, panel.ccode()[i], panel.country()[i], risks[k], ranks[k]));
    }
    return out;
  }

  /**
   * The ensemble's forecasts from its members' forecasts of the same origins: the unweighted
   * average of the members' risks where every member scored the country (as
   * {@link org.ewarn.model.EnsembleRiskModel} does), ranked per origin. The members are never
   * refitted for it.
   */
  public static List<Forecast> averaged(String model, List<List<Forecast>> members) {
    Map<Long, double[]> sums = new java.util.TreeMap<>();
    Map<Long, Forecast> first = new HashMap<>();
    for (List<Forecast> member : members) {
      for (Forecast f : member) {
        long k = (long) f.origin() * 100_000_000L + (long) f.year() * 10_000L + f.ccode();
        double[] s = sums.computeIfAbsent(k, x -> new double[] {0.0, 0});
        s[0] = s[0] + f.risk();
        s[1]++;
        first.putIfAbsent(k, f);
      }
    }
    Map<Integer, List<Forecast>> byOrigin = new java.util.TreeMap<>();
    sums.forEach((k, s) -> {
      if (s[1] == members.size()) {
        Forecast f = first.get(k);
        byOrigin.computeIfAbsent(f.origin(), o -> new ArrayList<>())
            .add(new Forecast(model, f.origin(), f.year(), f.ccode(), f.country(), s[0] / members.size(), 0));
      }
    });
    List<Forecast> out = new ArrayList<>();
    byOrigin.values().forEach(list -> {
      int[] ranks = minRanks(list.stream().mapToDouble(Forecast::risk).toArray());
      for (int i = 0; i < list.size(); i++) {
        Forecast f = list.get(i);
        out.add(new Forecast(model, f.origin(), f.year(), f.ccode(), f.country(), f.risk(), ranks[i]));
      }
    });
    return out;
  }

  /** Rank 1 = highest risk; tied risks share the lowest rank number (R's rank(ties = "min")). */
  public static int[] minRanks(double[] risks) {
    Integer[] order = IntStream.range(0, risks.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> Double.compare(risks[b], risks[a]));
    int[] ranks = new int[risks.length];
    for (int pos = 0; pos < order.length; pos++) {
      int i = order[pos];
      ranks[i] = pos > 0 && risks[order[pos - 1]] == risks[i] ? ranks[order[pos - 1]] : pos + 1;
    }
    return ranks;
  }

  /**
   * The warnings table: one row per country-year from {@code firstWarningYear} with a known
   * {@code mk_onset}, in (year, ccode) order.
   */
  public static List<Warning> warnings(String model, List<Forecast> forecasts, CountryYears panel, Window window) {
    Map<Long, Forecast> byYearCountry = new HashMap<>();
    for (Forecast f : forecasts) {
      byYearCountry.put(key(f.year(), f.ccode()), f);
    }
    List<Warning> out = new ArrayList<>();
    for (int i = 0; i < panel.size(); i++) {
      int year = panel.year()[i];
      if (year < window.firstWarningYear() || Double.isNaN(panel.onset()[i])) {
        continue;
      }
      Forecast prev = byYearCountry.get(key(year - 1, panel.ccode()[i]));
      Forecast two = byYearCountry.get(key(year - 2, panel.ccode()[i]));
      Double maxrisk = prev == null && two == null ? null
          : prev == null ? two.risk() : two == null ? prev.risk() : Math.max(prev.risk(), two.risk());
      Integer minrank = prev == null && two == null ? null
          : prev == null ? two.rank() : two == null ? prev.rank() : Math.min(prev.rank(), two.rank());
      out.add(new Warning(model, year, panel.country()[i], panel.ccode()[i], (int) panel.onset()[i],
          prev == null ? null : prev.risk(), prev == null ? null : prev.rank(),
          two == null ? null : two.risk(), two == null ? null : two.rank(), maxrisk, minrank));
    }
    return out;
  }

  static long key(int year, int ccode) {
    return (long) year * 100_000L + ccode;
  }
}
