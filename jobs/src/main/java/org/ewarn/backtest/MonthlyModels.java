package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.model.ElasticNetSettings;

/**
 * The models of the monthly protocol, by id: {@code elastic_net} (the project's cv.glmnet, one
 * fit per lead), {@code random_forest} (MLlib, one fit per refit with the lead as a feature) and
 * the frequency baselines {@code baseline_persistence} and {@code baseline_history}.
 */
public final class MonthlyModels {
  private MonthlyModels() {}

  public static final String ELASTIC_NET = "elastic_net";
  public static final String RANDOM_FOREST = "random_forest";
  public static final String PERSISTENCE = "baseline_persistence";
  public static final String HISTORY = "baseline_history";
  public static final List<String> IDS = List.of(ELASTIC_NET, RANDOM_FOREST, PERSISTENCE, HISTORY);

  /** Whether the model needs a Spark session. */
  public static boolean needsSpark(String id) {
    return id.equals(RANDOM_FOREST);
  }

  /**
   * The learner of {@code id}. {@code net}: the elastic net's specification (seed and λ floor
   * already the protocol's); {@code spark}: asked for only by the MLlib model.
   */
  public static MonthlyProtocol.Learner learner(String id, ElasticNetSettings net, Forest forest,
      double negativeRate, long seed, Supplier<SparkSession> spark) {
    return switch (id) {
      case ELASTIC_NET -> sampled(MonthlyProtocol.perLead(AnnualProtocol.elasticNet(net)), negativeRate, seed);
      case RANDOM_FOREST -> forest(forest, negativeRate, seed, spark);
      case PERSISTENCE -> frequency(MonthlyProtocol.History::recentViolence);
      case HISTORY -> frequency(MonthlyProtocol.History::onsetBefore);
      default -> throw new IllegalArgumentException("monthly model ids are " + IDS + ", got '" + id + "'");
    };
  }

  /**
   * Whether the non-onset pair (row of {@code unit} at {@code month}, {@code lead}) is in the
   * case-control sample: one seeded draw per pair, the same in every refit (a pair that enters the
   * training months stays in or out), independent of every value in the panel.
   */
  static boolean keeps(int unit, int month, int lead, long seed, double rate) {
    if (rate >= 1) {
      return true;
    }
    long mixed = seed * 0x9E3779B97F4A7C15L + ((long) unit * 1_000_003L + month) * 131L + lead;
    return new SplittableRandom(mixed).nextDouble() < rate;
  }

  /**
   * A linear-logistic learner on a case-control sample: every onset pair, non-onset pairs kept at
   * {@code rate}; the fitted log-odds are shifted by log(rate), the prior correction of King and
   * Zeng (2001), so risks estimate the full data's onset probabilities (the slopes of a logistic
   * model are unchanged by sampling on the outcome; only the intercept moves). Onsets are about 1
   * in 300 country-months, so a tenth of the non-onsets loses little and cuts the rows tenfold.
   */
  static MonthlyProtocol.Learner sampled(MonthlyProtocol.Learner inner, double rate, long seed) {
    if (rate >= 1) {
      return inner;
    }
    return (h, training) -> {
      int leads = training.leads();
      int[][] rows = new int[leads][];
      double[][] outcomes = new double[leads][];
      for (int l = 0; l < leads; l++) {
        int[] r = training.rows()[l];
        double[] y = training.outcomes()[l];
        int lead = l + 1;
        int[] keep = java.util.stream.IntStream.range(0, r.length)
            .filter(k -> y[k] == 1 || keeps(h.unit()[r[k]], h.month()[r[k]], lead, seed, rate)).toArray();
        rows[l] = java.util.Arrays.stream(keep).map(k -> r[k]).toArray();
        outcomes[l] = java.util.Arrays.stream(keep).mapToDouble(k -> y[k]).toArray();
      }
      MonthlyProtocol.Fitted fitted = inner.fit(h, new MonthlyProtocol.Training(training.refitOrigin(), rows, outcomes));
      double shift = Math.log(rate);
      return (hist, r, lead) -> {
        double[] p = fitted.risks(hist, r, lead);
        for (int k = 0; k < p.length; k++) {
          double logit = Math.log(p[k] / (1 - p[k])) + shift;
          p[k] = 1 / (1 + Math.exp(-logit));
        }
        return p;
      };
    };
  }

  /**
   * A frequency baseline: per lead, the training share of onsets at t + h among rows with the same
   * fact at t (e.g. any one-sided deaths in the last 3 months: VIEWS' "no change" idea). A fact
   * value never seen in training gets the lead's overall share.
   */
  static MonthlyProtocol.Learner frequency(Function<MonthlyProtocol.History, boolean[]> fact) {
    return (h, training) -> {
      boolean[] f = fact.apply(h);
      int leads = training.leads();
      double[][] rate = new double[leads][2];
      for (int l = 0; l < leads; l++) {
        double[] onsets = new double[2];
        double[] rows = new double[2];
        int[] r = training.rows()[l];
        for (int k = 0; k < r.length; k++) {
          int g = f[r[k]] ? 1 : 0;
          rows[g]++;
          onsets[g] += training.outcomes()[l][k];
        }
        double overall = rows[0] + rows[1] == 0 ? Double.NaN : (onsets[0] + onsets[1]) / (rows[0] + rows[1]);
        for (int g = 0; g < 2; g++) {
          rate[l][g] = rows[g] == 0 ? overall : onsets[g] / rows[g];
        }
      }
      return (hist, rows, lead) -> {
        boolean[] now = fact.apply(hist);
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
          out[k] = rate[lead - 1][now[rows[k]] ? 1 : 0];
        }
        return out;
      };
    };
  }

  /**
   * The random forest's settings. It trains on the case-control sample too, non-onsets weighted
   * 1 / rate, so leaf frequencies stay estimates of the full data's onset rates.
   */
  public record Forest(int trees, int maxDepth, int minInstancesPerNode, String subsetStrategy) {}

  /**
   * One MLlib forest per refit on the pairs of every lead stacked, the lead a feature (12 fits of
   * one forest each would pay Spark's per-job cost 12 times over): the refit's training pairs,
   * onsets all, non-onsets sampled ({@link #keeps}) and weighted 1 / rate, assembled as vectors in
   * memory and cached for the fit's passes. Built from the refit's own pairs only, in a fixed
   * order, so the data partitions (and the forest's seeded bootstrap) never depend on later months.
   * Scoring runs in memory on the fitted trees.
   */
  static MonthlyProtocol.Learner forest(Forest s, double negativeRate, long seed, Supplier<SparkSession> spark) {
    return (h, training) -> {
      List<Row> pairs = new ArrayList<>();
      boolean anyOnset = false;
      for (int l = 0; l < training.leads(); l++) {
        int lead = l + 1;
        int[] r = training.rows()[l];
        double[] y = training.outcomes()[l];
        for (int k = 0; k < r.length; k++) {
          if (y[k] == 1 || keeps(h.unit()[r[k]], h.month()[r[k]], lead, seed, negativeRate)) {
            pairs.add(RowFactory.create(y[k], y[k] == 1 ? 1.0 : 1.0 / negativeRate, features(h.x()[r[k]], lead)));
            anyOnset |= y[k] == 1;
          }
        }
      }
      if (!anyOnset) {
        return (hist, r, lead) -> nothing(r.length);
      }
      StructType schema = new StructType().add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType)
          .add("features", SQLDataTypes.VectorType());
      Dataset<Row> rows = spark.get().createDataFrame(pairs, schema).cache();
      RandomForestClassificationModel model = new RandomForestClassifier().setNumTrees(s.trees())
          .setMaxDepth(s.maxDepth()).setMinInstancesPerNode(s.minInstancesPerNode())
          .setFeatureSubsetStrategy(s.subsetStrategy()).setWeightCol("weight").setSeed(seed)
          .setLabelCol("label").setFeaturesCol("features").fit(rows);
      rows.unpersist();
      return (hist, r, lead) -> {
        double[] out = new double[r.length];
        for (int k = 0; k < r.length; k++) {
          out[k] = model.predictProbability(features(hist.x()[r[k]], lead)).apply(1);
        }
        return out;
      };
    };
  }

  private static double[] nothing(int n) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, Double.NaN);
    return out;
  }

  static Vector features(double[] x, int lead) {
    double[] v = java.util.Arrays.copyOf(x, x.length + 1);
    v[x.length] = lead;
    return Vectors.dense(v);
  }
}
