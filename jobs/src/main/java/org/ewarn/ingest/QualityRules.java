package org.ewarn.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Declarative data-quality rules from {@code conf/quality.conf}: a name, a level and a Spark SQL
 * condition every good row satisfies. A null result passes (missing values are the not-null
 * checks' business). Error-level failures send the row to quarantine with the rule's name as
 * reason; warning-level failures are only counted, on the rows that pass.
 */
public final class QualityRules {
  private QualityRules() {}

  public enum Level { ERROR, WARNING }

  public record Rule(String name, Level level, String check, String description) implements Serializable {}

  /** Error-level rules: a row failing one goes to quarantine, the first failed rule its reason. */
  public static Dataset<Row> apply(Dataset<Row> rows, List<Rule> rules) {
    Column newReason = null;
    Column newMessage = null;
    for (Rule rule : rules) {
      if (rule.level() != Level.ERROR) {
        continue;
      }
      Column failed = failed(rule);
      newReason = newReason == null ? when(failed, lit(rule.name())) : newReason.when(failed, lit(rule.name()));
      String msg = "rule " + rule.name() + " failed: " + rule.check()
          + (rule.description() == null ? "" : " (" + rule.description() + ")");
      newMessage = newMessage == null ? when(failed, lit(msg)) : newMessage.when(failed, lit(msg));
    }
    if (newReason == null) {
      return rows;
    }
    Column clean = col(Typing.REASON).isNull();
    return rows.withColumn(Typing.MESSAGE, when(clean, newMessage).otherwise(col(Typing.MESSAGE)))
        .withColumn(Typing.REASON, when(clean, newReason).otherwise(col(Typing.REASON)));
  }

  /**
   * Warning-level rules: one row with, per rule (named like it), the number of rows failing it;
   * null when there are no warning rules. Reads only the columns the rules name.
   */
  public static Dataset<Row> warningTallies(Dataset<Row> rows, List<Rule> rules) {
    List<Column> tallies = new java.util.ArrayList<>();
    for (Rule rule : rules) {
      if (rule.level() == Level.WARNING) {
        tallies.add(coalesce(sum(when(failed(rule), 1L).otherwise(0L)), lit(0L)).as(rule.name()));
      }
    }
    return tallies.isEmpty() ? null
        : rows.agg(tallies.get(0), tallies.subList(1, tallies.size()).toArray(Column[]::new));
  }

  private static Column failed(Rule rule) {
    return not(coalesce(expr(rule.check()), lit(true)));
  }
}
