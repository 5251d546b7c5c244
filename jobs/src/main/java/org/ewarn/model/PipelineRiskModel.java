package org.ewarn.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A risk model that is one MLlib probabilistic classifier on the assembled feature vector: the
 * random forest, the gradient-boosted trees and the single-predictor logistic baselines. Every
 * hyper-parameter comes from the configuration and is recorded in the saved metadata.
 */
public final class PipelineRiskModel implements RiskModel {
  /** Which classifier, with its settings. */
  public sealed interface Classifier extends java.io.Serializable {
    ProbabilisticClassifier<?, ?, ?> build(long seed);

    Map<String, String> describe();
  }

  /** MLlib random forest; {@code subsetStrategy} as in MLlib ("sqrt", "onethird", "all", …). */
  public record RandomForest(int trees, int maxDepth, int minInstancesPerNode, String subsetStrategy,
      double subsamplingRate) implements Classifier {
    @Override
    public ProbabilisticClassifier<?, ?, ?> build(long seed) {
      return new RandomForestClassifier().setNumTrees(trees).setMaxDepth(maxDepth)
          .setMinInstancesPerNode(minInstancesPerNode).setFeatureSubsetStrategy(subsetStrategy)
          .setSubsamplingRate(subsamplingRate).setSeed(seed);
    }

    @Override
    public Map<String, String> describe() {
      return Map.of("algorithm", "random_forest", "engine", "mllib", "trees", "" + trees, "max_depth", "" + maxDepth,
          "min_instances_per_node", "" + minInstancesPerNode, "feature_subset_strategy", subsetStrategy,
          "subsampling_rate", "" + subsamplingRate);
    }
  }

  /** MLlib gradient-boosted trees (logistic loss). */
  public record GradientBoostedTrees(int iterations, int maxDepth, double stepSize, double subsamplingRate)
      implements Classifier {
    @Override
    public ProbabilisticClassifier<?, ?, ?> build(long seed) {
      return new GBTClassifier().setMaxIter(iterations).setMaxDepth(maxDepth).setStepSize(stepSize)
          .setSubsamplingRate(subsamplingRate).setSeed(seed);
    }

    @Override
    public Map<String, String> describe() {
      return Map.of("algorithm", "gbt", "engine", "mllib", "iterations", "" + iterations, "max_depth", "" + maxDepth,
          "step_size", "" + stepSize, "subsampling_rate", "" + subsamplingRate);
    }
  }

  /** Unpenalised logistic regression, for baselines on one or two predictors. */
  public record Logistic() implements Classifier {
    @Override
    public ProbabilisticClassifier<?, ?, ?> build(long seed) {
      return new LogisticRegression().setRegParam(0.0).setMaxIter(100).setStandardization(true);
    }

    @Override
    public Map<String, String> describe() {
      return Map.of("algorithm", "logistic_regression", "reg_param", "0");
    }
  }

  private final String id;
  private final Classifier classifier;
  private final List<String> features;

  /** {@code features} overrides the inputs' features (the baselines use one predictor), or null. */
  public PipelineRiskModel(String id, Classifier classifier, List<String> features) {
    this.id = id;
    this.classifier = classifier;
    this.features = features == null ? null : List.copyOf(features);
  }

  @Override
  public String id() {
    return id;
  }

  public Classifier classifier() {
    return classifier;
  }

  @Override
  public FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs) {
    ModelInputs used = features == null ? inputs : new ModelInputs(features, inputs.outcome(), inputs.seed());
    Dataset<Row> rows = TrainingSummary.completeCases(train, used, true)
        .withColumn("label", col(used.outcome()).cast("double"));
    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(used.features().toArray(String[]::new)).setOutputCol("features_vector");
    ProbabilisticClassifier<?, ?, ?> model = classifier.build(used.seed());
    model.setFeaturesCol("features_vector");
    model.setLabelCol("label");
    model.setProbabilityCol("probability_vector");
    model.setRawPredictionCol("raw_prediction_vector");
    model.setPredictionCol("predicted_label");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, model}).fit(rows);
    Map<String, String> meta = new LinkedHashMap<>(TrainingSummary.describe(rows, used));
    meta.putAll(classifier.describe());
    return new Fitted(id, used, fitted, meta);
  }

  /** A trained pipeline and its metadata. */
  public static final class Fitted implements FittedRiskModel, RowScorer {
    private final String id;
    private final ModelInputs inputs;
    private final PipelineModel pipeline;
    private final Map<String, String> metadata;

    Fitted(String id, ModelInputs inputs, PipelineModel pipeline, Map<String, String> metadata) {
      this.id = id;
      this.inputs = inputs;
      this.pipeline = pipeline;
      this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String modelId() {
      return id;
    }

    @Override
    public Dataset<Row> score(Dataset<Row> rows) {
      Dataset<Row> complete = TrainingSummary.completeCases(rows, inputs, false);
      return pipeline.transform(complete)
          .withColumn("risk", element_at(vector_to_array(col("probability_vector"), "float64"), 2))
          .drop("features_vector", "probability_vector", "raw_prediction_vector", "predicted_label");
    }

    /**
     * As {@link #score}: complete cases, the vector the assembler builds (dense, then compressed),
     * and the classifier's own {@code predictProbability}, which is what its transform computes
     * (raw prediction, then raw to probability).
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Double risk(Row row) {
      double[] x = RowScorer.completeCase(row, inputs.features());
      if (x == null) {
        return null;
      }
      org.apache.spark.ml.Transformer last = pipeline.stages()[pipeline.stages().length - 1];
      org.apache.spark.ml.linalg.Vector p = ((org.apache.spark.ml.classification.ProbabilisticClassificationModel) last)
          .predictProbability(org.apache.spark.ml.linalg.Vectors.dense(x).compressed());
      return p.apply(1);
    }

    @Override
    public Map<String, String> metadata() {
      return metadata;
    }

    @Override
    public void save(Path dir) {
      try {
        pipeline.write().overwrite().save(dir.resolve("pipeline").toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save model " + id + " to " + dir, e);
      }
      StoredModel.writeMetadata(dir, this, Map.of());
    }

    public static Fitted load(Path dir) {
      Map<String, String> meta = StoredModel.readMetadata(dir);
      ModelInputs inputs = new ModelInputs(List.of(meta.get("features").split(",")), meta.get("outcome"),
          Long.parseLong(meta.get("seed")));
      Map<String, String> own = new LinkedHashMap<>(meta);
      own.remove(StoredModel.CLASS_KEY);
      own.remove("model");
      return new Fitted(meta.get("model"), inputs, PipelineModel.load(dir.resolve("pipeline").toString()), own);
    }
  }
}
