package org.ewarn.model;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A baseline that knows one fact about a country: whether {@code predictor} exceeds
 * {@code threshold} (e.g. a mass killing is ongoing, or one ever happened). Its risk is the share
 * of training rows with the same fact that had the outcome: the base rate a forecaster beats.
 */
public final class FrequencyBaseline implements RiskModel {
  private final String id;
  private final String predictor;
  private final double threshold;

  public FrequencyBaseline(String id, String predictor, double threshold) {
    this.id = id;
    this.predictor = predictor;
    this.threshold = threshold;
  }

  @Override
  public String id() {
    return id;
  }

  /** The one column the baseline reads. */
  public String predictor() {
    return predictor;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs) {
    ModelInputs used = new ModelInputs(List.of(predictor), inputs.outcome(), inputs.seed());
    Dataset<Row> rows = TrainingSummary.completeCases(train, used, true);
    double above = rate(rows.where(col(predictor).gt(threshold)), used.outcome());
    double notAbove = rate(rows.where(col(predictor).leq(threshold)), used.outcome());
    Map<String, String> meta = new LinkedHashMap<>(TrainingSummary.describe(rows, used));
    meta.put("algorithm", "frequency");
    meta.put("threshold", Double.toString(threshold));
    meta.put("risk_above_threshold", Double.toString(above));
    meta.put("risk_at_or_below_threshold", Double.toString(notAbove));
    return new Fitted(id, predictor, threshold, above, notAbove, meta);
  }

  private static double rate(Dataset<Row> rows, String outcome) {
    Row r = rows.agg(avg(col(outcome).cast("double"))).first();
    return r.isNullAt(0) ? 0.0 : r.getDouble(0);
  }

  /** The two rates, kept in the metadata file: nothing else to save. */
  public static final class Fitted implements FittedRiskModel, RowScorer {
    private final String id;
    private final String predictor;
    private final double threshold;
    private final double riskAbove;
    private final double riskNotAbove;
    private final Map<String, String> metadata;

    Fitted(String id, String predictor, double threshold, double riskAbove, double riskNotAbove,
        Map<String, String> metadata) {
      this.id = id;
      this.predictor = predictor;
      this.threshold = threshold;
      this.riskAbove = riskAbove;
      this.riskNotAbove = riskNotAbove;
      this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String modelId() {
      return id;
    }

    @Override
    public Dataset<Row> score(Dataset<Row> rows) {
      return rows.where(col(predictor).isNotNull())
          .withColumn("risk", when(col(predictor).gt(threshold), lit(riskAbove)).otherwise(lit(riskNotAbove)));
    }

    /** As {@link #score}; Spark orders NaN above every number, so a NaN predictor is above the threshold. */
    @Override
    public Double risk(Row row) {
      Double v = RowScorer.number(row, predictor);
      if (v == null) {
        return null;
      }
      return v.isNaN() || v > threshold ? riskAbove : riskNotAbove;
    }

    @Override
    public Map<String, String> metadata() {
      return metadata;
    }

    @Override
    public void save(Path dir) {
      StoredModel.writeMetadata(dir, this, Map.of());
    }

    public static Fitted load(Path dir) {
      Map<String, String> meta = new LinkedHashMap<>(StoredModel.readMetadata(dir));
      String predictor = meta.get("features");
      meta.remove(StoredModel.CLASS_KEY);
      String id = meta.remove("model");
      return new Fitted(id, predictor, Double.parseDouble(meta.get("threshold")),
          Double.parseDouble(meta.get("risk_above_threshold")), Double.parseDouble(meta.get("risk_at_or_below_threshold")),
          meta);
    }
  }
}
