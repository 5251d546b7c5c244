package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percent_rank;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** Ranks, percentiles, edition-to-edition changes and the warning flags of risk_trajectories. */
public final class RiskTables {
  private RiskTables() {}

  /**
   * The configurable flag rules.
   *
   * @param topN "highest risk" = rank ≤ topN
   * @param minIncrease "risk increased" needs risk − previous ≥ minIncrease …
   * @param minRatio … and risk ≥ minRatio × previous
   * @param consistentEditions "consistently high" = highest risk in each of the last this many editions
   */
  public record FlagRules(int topN, double minIncrease, double minRatio, int consistentEditions)
      implements Serializable {}

  /** rank 1 = highest risk (ties share the best rank); percentile 100 = highest. */
  public static Dataset<Row> ranked(Dataset<Row> scored) {
    WindowSpec group = Window.partitionBy("model", "edition", "horizon");
    return scored
        .withColumn("rank", rank().over(group.orderBy(col("risk").desc())))
        .withColumn("percentile", round(percent_rank().over(group.orderBy(col("risk"))).multiply(100), 1));
  }

  /**
   * Adds risk_previous_edition, risk_change, highest_risk, risk_increased, consistently_high to the
   * ranked rows of every edition (ordered by the predictor year).
   */
  public static Dataset<Row> flagged(Dataset<Row> ranked, FlagRules rules) {
    WindowSpec path = Window.partitionBy("model", "horizon", "ccode").orderBy("year");
    Column highest = col("rank").leq(rules.topN());
    Column previous = col("risk_previous_edition");
    return ranked
        .withColumn("risk_previous_edition", lag(col("risk"), 1).over(path))
        .withColumn("risk_change", col("risk").minus(previous))
        .withColumn("highest_risk", highest)
        .withColumn("risk_increased", previous.isNotNull()
            .and(col("risk_change").geq(rules.minIncrease()))
            .and(col("risk").geq(previous.multiply(rules.minRatio()))))
        .withColumn("_high_run", sum(when(highest, 1).otherwise(0))
            .over(path.rowsBetween(-(rules.consistentEditions() - 1), 0)))
        .withColumn("_editions_seen", sum(lit(1)).over(path.rowsBetween(-(rules.consistentEditions() - 1), 0)))
        .withColumn("consistently_high", col("_high_run").equalTo(rules.consistentEditions())
            .and(col("_editions_seen").equalTo(rules.consistentEditions())))
        .drop("_high_run", "_editions_seen");
  }
}
