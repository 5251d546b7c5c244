package org.ewarn.model;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A trained model: scores rows and can be saved with its metadata and reloaded. */
public interface FittedRiskModel extends Serializable {
  String modelId();

  /** Adds a {@code risk} column (probability of the outcome) to the complete-case rows. */
  Dataset<Row> score(Dataset<Row> rows);

  /** Features, seed, penalty, training years, data vintages… written beside the saved model. */
  Map<String, String> metadata();

  void save(Path dir);
}
