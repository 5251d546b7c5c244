package org.ewarn.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A trained {@code random_forest} or {@code gbt} of the XGBoost engine: the trees and the metadata.
 * Saved as the booster's own model file ({@code trees.ubj}) beside {@code model.json}.
 */
public final class XGBoostTreesModel implements FittedRiskModel, RowScorer {
  static final String FILE = "trees.ubj";

  private final String id;
  private final List<String> features;
  private final TrainedTrees trees;
  private final Map<String, String> metadata;

  XGBoostTreesModel(String id, List<String> features, TrainedTrees trees, Map<String, String> metadata) {
    if (features.size() != trees.features()) {
      throw new IllegalArgumentException(features.size() + " features for trees of " + trees.features());
    }
    this.id = id;
    this.features = List.copyOf(features);
    this.trees = trees;
    this.metadata = Map.copyOf(metadata);
  }

  @Override
  public String modelId() {
    return id;
  }

  public TrainedTrees trees() {
    return trees;
  }

  /**
   * Adds {@code risk} to the rows complete in the features (rows with a missing feature are left
   * out, as the MLlib engine does), row by row in a UDF that carries the trees: every other
   * column and the rows' order stay as they were.
   */
  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    Dataset<Row> complete = TrainingSummary.completeCases(rows, new ModelInputs(features, "", 0), false);
    Column[] values = features.stream().map(f -> functions.col(f).cast("double")).toArray(Column[]::new);
    TrainedTrees shipped = trees;
    UDF1<Row, Double> risk = r -> {
      double[] v = new double[r.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = r.getDouble(j);
      }
      return shipped.risk(v);
    };
    return complete.withColumn("risk",
        functions.udf(risk, DataTypes.DoubleType).apply(functions.struct(values)));
  }

  /** As {@link #score}: complete cases only, one row per native call as in its UDF. */
  @Override
  public Double risk(Row row) {
    double[] x = RowScorer.completeCase(row, features);
    return x == null ? null : trees.risk(x);
  }

  /** {@link #risk} of every row in one native call (a tree ensemble scores each row on its own). */
  @Override
  public List<Double> risks(List<Row> rows) {
    List<double[]> complete = new java.util.ArrayList<>();
    for (Row r : rows) {
      double[] x = RowScorer.completeCase(r, features);
      if (x != null) {
        complete.add(x);
      }
    }
    double[] scored = trees.risks(complete.toArray(double[][]::new));
    List<Double> out = new java.util.ArrayList<>(rows.size());
    int k = 0;
    for (Row r : rows) {
      out.add(RowScorer.completeCase(r, features) == null ? null : scored[k++]);
    }
    return out;
  }

  @Override
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(FILE), trees.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model " + id + " to " + dir, e);
    }
    StoredModel.writeMetadata(dir, this, Map.of());
  }

  /** Reloads a model written by {@link #save}. */
  public static XGBoostTreesModel load(Path dir) {
    Map<String, String> meta = StoredModel.readMetadata(dir);
    List<String> features = List.of(meta.get("features").split(","));
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(FILE), e);
    }
    Map<String, String> own = new LinkedHashMap<>(meta);
    own.remove(StoredModel.CLASS_KEY);
    own.remove("model");
    return new XGBoostTreesModel(meta.get("model"), features, TrainedTrees.of(bytes, features.size()), own);
  }
}
