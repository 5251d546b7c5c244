package org.ewarn.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A trained {@code elastic_net} model: original-scale coefficients at lambda.min plus metadata.
 * Saved as {@code elastic_net.json}; doubles are written in their shortest exact decimal form, so
 * a reloaded model scores bit for bit the same.
 */
public final class ElasticNetModel implements FittedRiskModel, RowScorer {
  static final String FILE = "elastic_net.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<String> features;
  private final String outcome;
  private final long seed;
  private final ElasticNetSettings settings;
  private final ElasticNetFit fit;
  private final String trainingYears;

  public ElasticNetModel(
      List<String> features, String outcome, long seed, ElasticNetSettings settings,
      ElasticNetFit fit, String trainingYears) {
    if (features.size() != fit.coefficients().length) {
      throw new IllegalArgumentException(features.size() + " features but "
          + fit.coefficients().length + " coefficients");
    }
    this.features = List.copyOf(features);
    this.outcome = outcome;
    this.seed = seed;
    this.settings = settings;
    this.fit = fit;
    this.trainingYears = trainingYears;
  }

  @Override
  public String modelId() {
    return ElasticNet.ID;
  }

  public ElasticNetFit fit() {
    return fit;
  }

  /** The specification it was fitted with (α, convergence), for refits at its λ. */
  public ElasticNetSettings settings() {
    return settings;
  }

  public List<String> features() {
    return features;
  }

  /**
   * Adds {@code risk}; rows with a missing feature get a null risk. The linear predictor is summed
   * in the same order as {@link ElasticNetFit#link}, so Spark and the in-memory path agree exactly.
   */
  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    Column eta = functions.lit(fit.intercept());
    for (int j = 0; j < features.size(); j++) {
      eta = eta.plus(functions.lit(fit.coefficients()[j])
          .multiply(functions.col(features.get(j)).cast("double")));
    }
    Column risk = functions.lit(1.0).divide(functions.lit(1.0).plus(functions.exp(eta.unary_$minus())));
    return rows.withColumn("risk", risk);
  }

  /**
   * As {@link #score}: a null feature gives a null risk (Spark's null arithmetic), a NaN one a NaN
   * risk; {@link ElasticNetFit#risk} sums in the order of the Spark expression.
   */
  @Override
  public Double risk(Row row) {
    double[] x = new double[features.size()];
    for (int j = 0; j < x.length; j++) {
      Double v = RowScorer.number(row, features.get(j));
      if (v == null) {
        return null;
      }
      x[j] = v;
    }
    return fit.risk(x);
  }

  @Override
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", ElasticNet.ID);
    m.put("features", String.join(",", features));
    m.put("outcome", outcome);
    m.put("seed", Long.toString(seed));
    m.put("alpha", Double.toString(settings.alpha()));
    m.put("folds", Integer.toString(settings.folds()));
    m.put("lambda", Double.toString(fit.lambda()));
    m.put("lambda_path_length", Integer.toString(fit.lambdas().length));
    m.put("nonzero_coefficients", Integer.toString(fit.nonZero()));
    m.put("training_rows", Integer.toString(fit.rows()));
    m.put("training_positives", Integer.toString(fit.positives()));
    m.put("training_years", trainingYears);
    return m;
  }

  @Override
  public void save(Path dir) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode meta = root.putObject("metadata");
    metadata().forEach(meta::put);
    root.put("intercept", fit.intercept());
    ObjectNode coefs = root.putObject("coefficients");
    for (int j = 0; j < features.size(); j++) {
      coefs.put(features.get(j), fit.coefficients()[j]);
    }
    root.put("lambda", fit.lambda());
    ArrayNode lambdas = root.putArray("lambdas");
    for (double l : fit.lambdas()) {
      lambdas.add(l);
    }
    ArrayNode cv = root.putArray("cv_deviance");
    for (double d : fit.cvDeviance()) {
      cv.add(d);
    }
    ObjectNode s = root.putObject("settings");
    s.put("alpha", settings.alpha());
    s.put("folds", settings.folds());
    s.put("lambda_count", settings.lambdaCount());
    s.put("lambda_min_ratio", Double.isNaN(settings.lambdaMinRatio()) ? "auto" : Double.toString(settings.lambdaMinRatio()));
    s.put("threshold", settings.threshold());
    s.put("max_iterations", settings.maxIterations());
    s.put("seed", settings.seed());
    root.put("rows", fit.rows());
    root.put("positives", fit.positives());
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve(FILE).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the elastic-net model to " + dir, e);
    }
  }

  /** Reloads a model written by {@link #save}. */
  public static ElasticNetModel load(Path dir) {
    JsonNode root;
    try {
      root = JSON.readTree(dir.resolve(FILE).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(FILE), e);
    }
    List<String> features = new ArrayList<>();
    List<Double> coefs = new ArrayList<>();
    root.get("coefficients").fields().forEachRemaining(e -> {
      features.add(e.getKey());
      coefs.add(e.getValue().doubleValue());
    });
    JsonNode s = root.get("settings");
    String ratio = s.get("lambda_min_ratio").asText();
    ElasticNetSettings settings = new ElasticNetSettings(
        s.get("alpha").doubleValue(), s.get("folds").intValue(), s.get("lambda_count").intValue(),
        ratio.equals("auto") ? Double.NaN : Double.parseDouble(ratio), s.get("threshold").doubleValue(),
        s.get("max_iterations").intValue(), s.get("seed").longValue());
    ElasticNetFit fit = new ElasticNetFit(
        root.get("intercept").doubleValue(),
        coefs.stream().mapToDouble(Double::doubleValue).toArray(),
        root.get("lambda").doubleValue(),
        doubles(root.get("lambdas")),
        doubles(root.get("cv_deviance")),
        root.get("rows").intValue(),
        root.get("positives").intValue());
    JsonNode meta = root.get("metadata");
    return new ElasticNetModel(features, meta.get("outcome").asText(), meta.get("seed").asLong(),
        settings, fit, meta.get("training_years").asText());
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }
}
