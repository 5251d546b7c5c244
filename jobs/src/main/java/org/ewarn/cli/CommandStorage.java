package org.ewarn.cli;

import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.io.RiskMarts;
import org.ewarn.io.SparkMarts;

/** The stores of the panel and forecast commands, opened with the session's Hadoop configuration. */
final class CommandStorage {
  private CommandStorage() {}

  static RiskMarts riskMarts(SparkSession spark, Settings settings) {
    return new RiskMarts(SparkMarts.open(spark, settings.location("warehouse.root")),
        settings.location("forecast.models-dir"), settings.location("output.root"),
        spark.sparkContext().hadoopConfiguration());
  }
}
