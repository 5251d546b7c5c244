package org.ewarn.model;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One configured risk model (elastic_net, random_forest, gbt, ensemble, baseline_&lt;name&gt;).
 * Stateless and serialisable: the forecast stage and the back-test call {@link #fit} once per
 * training window.
 */
public interface RiskModel extends Serializable {
  /** The model id used in every output table. */
  String id();

  /**
   * Trains on the complete-case rows of {@code train} (rows with a null feature or outcome are
   * left out, as in the EWP specification).
   */
  FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs);
}
