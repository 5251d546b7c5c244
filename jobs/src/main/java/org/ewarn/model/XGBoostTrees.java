package org.ewarn.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * {@code random_forest} or {@code gbt} with {@code engine = xgboost}: the trees grown by XGBoost on
 * the driver. The annual data are a few thousand country-years, on which MLlib spends its time in
 * per-job driver overhead (BENCHMARKS.md); XGBoost fits the same data in memory in a fraction of
 * a second. {@link #fit} collects the complete cases (sorted by year and country code, so the fit
 * does not depend on how Spark partitioned the frame) and {@link #train} is the in-memory path the
 * annual back-test calls directly.
 */
public final class XGBoostTrees implements RiskModel {
  /** How the trees are grown: XGBoost's random-forest mode or boosting. */
  public sealed interface Learner extends Serializable {
    /**
     * The booster parameters for a training set of {@code features} columns whose positive share
     * is {@code positiveShare} (both the base score and the minimum leaf weight depend on it).
     */
    Map<String, Object> parameters(int features, double positiveShare);

    int rounds();

    Map<String, String> describe();

    /** The same learner with another thread count (threads never change the fitted trees' role). */
    Learner withThreads(int threads);
  }

  /**
   * XGBoost's random forest: one boosting round of {@code trees} trees grown side by side
   * ({@code num_parallel_tree}) at learning rate 1, each on a {@code subsample} share of the rows
   * drawn without replacement, trying {@code subsetStrategy} features at every split
   * ({@code colsample_bynode}). Not MLlib's forest: the trees are grown on gradients of the
   * logistic loss at the base rate, a leaf's value is a regularised Newton step on the log-odds
   * scale (not the leaf's share of onsets), and the forest's risk is the logistic of the base
   * log-odds plus the average of the trees' steps (MLlib averages the trees' probabilities). See
   * jobs/METHODS.md.
   */
  public record Forest(int trees, int maxDepth, int minInstancesPerNode, String subsetStrategy, double subsample,
      double regLambda, int threads) implements Learner {
    @Override
    public Map<String, Object> parameters(int features, double positiveShare) {
      Map<String, Object> p = common(maxDepth, minInstancesPerNode, subsample, regLambda, positiveShare, threads);
      p.put("eta", 1.0);
      p.put("num_parallel_tree", trees);
      p.put("colsample_bynode", nodeColumnShare(subsetStrategy, features));
      return p;
    }

    @Override
    public int rounds() {
      return 1;
    }

    @Override
    public Map<String, String> describe() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("algorithm", "random_forest");
      m.put("engine", "xgboost");
      m.put("trees", "" + trees);
      m.put("max_depth", "" + maxDepth);
      m.put("min_instances_per_node", "" + minInstancesPerNode);
      m.put("feature_subset_strategy", subsetStrategy);
      m.put("subsample", "" + subsample);
      m.put("reg_lambda", "" + regLambda);
      return m;
    }

    @Override
    public Forest withThreads(int threads) {
      return new Forest(trees, maxDepth, minInstancesPerNode, subsetStrategy, subsample, regLambda, threads);
    }
  }

  /** XGBoost gradient boosting (logistic loss): {@code iterations} rounds of one tree each. */
  public record Boosting(int iterations, int maxDepth, double stepSize, double subsample, double regLambda,
      int threads) implements Learner {
    @Override
    public Map<String, Object> parameters(int features, double positiveShare) {
      // one row per leaf at least, as MLlib's GBT default (min instances per node 1)
      Map<String, Object> p = common(maxDepth, 1, subsample, regLambda, positiveShare, threads);
      p.put("eta", stepSize);
      return p;
    }

    @Override
    public int rounds() {
      return iterations;
    }

    @Override
    public Map<String, String> describe() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("algorithm", "gbt");
      m.put("engine", "xgboost");
      m.put("iterations", "" + iterations);
      m.put("max_depth", "" + maxDepth);
      m.put("step_size", "" + stepSize);
      m.put("subsampling_rate", "" + subsample);
      m.put("reg_lambda", "" + regLambda);
      return m;
    }

    @Override
    public Boosting withThreads(int threads) {
      return new Boosting(iterations, maxDepth, stepSize, subsample, regLambda, threads);
    }
  }

  private static Map<String, Object> common(int maxDepth, int minRows, double subsample, double regLambda,
      double positiveShare, int threads) {
    // the base score is the training share of onsets (clamped: the logistic base must be inside (0, 1)),
    // so every row's hessian in the first round is p(1 - p): a minimum leaf weight of minRows · p(1 - p)
    // is then exactly "at least minRows rows per leaf" for the forest's single round (XGBoost's default
    // of 1 would need ~50 rows at a 2 % base rate)
    double p = Math.min(1 - 1e-6, Math.max(1e-6, positiveShare));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("booster", "gbtree");
    m.put("objective", "binary:logistic");
    m.put("tree_method", "hist");
    m.put("base_score", p);
    m.put("max_depth", maxDepth);
    m.put("min_child_weight", minRows * p * (1 - p));
    m.put("subsample", subsample);
    m.put("lambda", regLambda);
    m.put("nthread", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    m.put("verbosity", 0);
    return m;
  }

  /**
   * The share of features tried at each split for an MLlib-style strategy (auto = sqrt for
   * classification, all, onethird, sqrt, log2, a whole number of features or a share). XGBoost
   * keeps {@code floor(share × features)} features, so the share is set half a feature above the
   * count MLlib would draw (ceil of sqrt, of a third, of log2).
   */
  static double nodeColumnShare(String strategy, int features) {
    String s = strategy.trim().toLowerCase(java.util.Locale.ROOT);
    int count = switch (s) {
      case "auto", "sqrt" -> (int) Math.ceil(Math.sqrt(features));
      case "all" -> features;
      case "onethird" -> (int) Math.ceil(features / 3.0);
      case "log2" -> (int) Math.ceil(Math.log(features) / Math.log(2));
      default -> {
        double v;
        try {
          v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("feature-subset-strategy: auto, all, onethird, sqrt, log2 or a number,"
              + " got '" + strategy + "'");
        }
        yield s.contains(".") ? (int) Math.ceil(v * features) : (int) v;
      }
    };
    count = Math.max(1, Math.min(features, count));
    return count == features ? 1.0 : (count + 0.5) / features;
  }

  private final String id;
  private final Learner learner;

  public XGBoostTrees(String id, Learner learner) {
    this.id = id;
    this.learner = learner;
  }

  @Override
  public String id() {
    return id;
  }

  public Learner learner() {
    return learner;
  }

  /** This model with {@code threads} XGBoost threads per fit (the back-test runs origins in parallel instead). */
  public XGBoostTrees withThreads(int threads) {
    return new XGBoostTrees(id, learner.withThreads(threads));
  }

  /** Trains on complete rows in memory; the trees, serialised, ready to score. */
  public TrainedTrees train(double[][] x, double[] y, long seed) {
    if (x.length == 0) {
      throw new IllegalArgumentException(id + ": no complete training rows");
    }
    int p = x[0].length;
    float[] flat = new float[x.length * p];
    float[] labels = new float[x.length];
    double positives = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < p; j++) {
        flat[i * p + j] = (float) x[i][j];
      }
      labels[i] = (float) y[i];
      positives += y[i];
    }
    Map<String, Object> params = learner.parameters(p, positives / x.length);
    params.put("seed", seed);
    DMatrix train = null;
    Booster booster = null;
    try {
      train = new DMatrix(flat, x.length, p, Float.NaN);
      train.setLabel(labels);
      booster = XGBoost.train(train, params, learner.rounds(), Map.of(), null, null);
      // scored from the serialised form only, so a fitted and a reloaded model are the same bytes
      return TrainedTrees.of(booster.toByteArray(TrainedTrees.FORMAT), p);
    } catch (XGBoostError e) {
      throw new IllegalStateException(id + ": XGBoost training failed: " + e.getMessage(), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      if (train != null) {
        train.dispose();
      }
    }
  }

  @Override
  public FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs) {
    List<String> features = inputs.features();
    List<String> columns = List.of(train.columns());
    List<Column> cols = new ArrayList<>();
    for (String f : features) {
      cols.add(functions.col(f).cast("double"));
    }
    cols.add(functions.col(inputs.outcome()).cast("double"));
    boolean hasYear = columns.contains("year");
    cols.add(hasYear ? functions.col("year").cast("int") : functions.lit(null).cast("int"));
    cols.add(columns.contains("ccode") ? functions.col("ccode").cast("int") : functions.lit(null).cast("int"));
    List<String> required = new ArrayList<>(features);
    required.add(inputs.outcome());
    Dataset<Row> complete = train.select(cols.toArray(Column[]::new)).na().drop(required.toArray(String[]::new))
        .filter(functions.not(functions.isnan(functions.col(inputs.outcome()))));
    // the order of the in-memory panel (year, ccode): the same rows give the same trees however they arrived
    List<Row> rows = hasYear
        ? complete.orderBy(functions.col("year"), functions.col("ccode")).collectAsList()
        : complete.collectAsList();
    int p = features.size();
    double[][] x = new double[rows.size()][p];
    double[] y = new double[rows.size()];
    int minYear = Integer.MAX_VALUE;
    int maxYear = Integer.MIN_VALUE;
    long positives = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      for (int j = 0; j < p; j++) {
        x[i][j] = r.getDouble(j);
      }
      y[i] = r.getDouble(p);
      positives += y[i] > 0.5 ? 1 : 0;
      if (!r.isNullAt(p + 1)) {
        minYear = Math.min(minYear, r.getInt(p + 1));
        maxYear = Math.max(maxYear, r.getInt(p + 1));
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("features", String.join(",", features));
    meta.put("outcome", inputs.outcome());
    meta.put("seed", Long.toString(inputs.seed()));
    meta.put("training_rows", Integer.toString(rows.size()));
    meta.put("training_positives", Long.toString(positives));
    if (hasYear && minYear <= maxYear) {
      meta.put("training_years", minYear + "-" + maxYear);
    }
    meta.putAll(learner.describe());
    return new XGBoostTreesModel(id, features, train(x, y, inputs.seed()), meta);
  }
}
