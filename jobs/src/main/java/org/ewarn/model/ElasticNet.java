package org.ewarn.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Model {@code elastic_net}: the Early Warning Project's elastic-net logistic regression (glmnet,
 * α = 0.5, standardised predictors, complete cases, λ = lambda.min of 10-fold cross-validation on
 * binomial deviance). Training collects the complete-case rows to the driver (a few thousand
 * country-years) and runs {@link ElasticNetCv}.
 */
public final class ElasticNet implements RiskModel {
  public static final String ID = "elastic_net";

  private final ElasticNetSettings settings;

  public ElasticNet(ElasticNetSettings settings) {
    this.settings = settings;
  }

  @Override
  public String id() {
    return ID;
  }

  public ElasticNetSettings settings() {
    return settings;
  }

  @Override
  public ElasticNetModel fit(Dataset<Row> train, ModelInputs inputs) {
    List<String> features = inputs.features();
    List<Row> rows = completeCases(train, features, inputs.outcome()).collectAsList();
    double[][] x = new double[rows.size()][];
    double[] y = new double[rows.size()];
    List<Integer> years = new ArrayList<>();
    boolean hasYear = List.of(train.columns()).contains("year");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double[] v = new double[features.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = ((Number) r.get(j)).doubleValue();
      }
      x[i] = v;
      y[i] = ((Number) r.get(features.size())).doubleValue();
      if (hasYear) {
        years.add(((Number) r.get(features.size() + 1)).intValue());
      }
    }
    ElasticNetFit fit = ElasticNetCv.fit(x, y, settings.withSeed(inputs.seed()));
    String trainingYears = years.isEmpty()
        ? ""
        : years.stream().mapToInt(Integer::intValue).min().getAsInt() + "-"
            + years.stream().mapToInt(Integer::intValue).max().getAsInt();
    return new ElasticNetModel(features, inputs.outcome(), inputs.seed(), settings, fit, trainingYears);
  }

  /** Rows with every feature and the outcome present, features then outcome (then year) as doubles. */
  static Dataset<Row> completeCases(Dataset<Row> rows, List<String> features, String outcome) {
    List<Column> cols = new ArrayList<>();
    for (String f : features) {
      cols.add(functions.col(f).cast("double"));
    }
    cols.add(functions.col(outcome).cast("double"));
    if (List.of(rows.columns()).contains("year")) {
      cols.add(functions.col("year").cast("int"));
    }
    Dataset<Row> selected = rows.select(cols.toArray(Column[]::new));
    List<String> required = new ArrayList<>(features);
    required.add(outcome);
    return selected.na().drop(required.toArray(String[]::new))
        .filter(functions.not(functions.isnan(functions.col(outcome))));
  }
}
