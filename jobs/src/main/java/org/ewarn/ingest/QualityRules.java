package org.ewarn.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
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
 * reason; warning-level failures are only counted, in {@code _warnings}.
 */
public final class QualityRules {
  public static final String WARNINGS = "_warnings";

  private QualityRules() {}

  public enum Level { ERROR, WARNING }

  public record Rule(String name, Level level, String check, String description) implements Serializable {}

  public static Dataset<Row> apply(Dataset<Row> rows, List<Rule> rules) {
    Column reason = col(Typing.REASON);
    Column message = col(Typing.MESSAGE);
    Column warnings = lit(null).cast("array<string>");
    Column newReason = null;
    Column newMessage = null;
    java.util.List<Column> warned = new java.util.ArrayList<>();
    for (Rule rule : rules) {
      Column failed = not(coalesce(expr(rule.check()), lit(true)));
      if (rule.level() == Level.ERROR) {
        newReason = newReason == null ? when(failed, lit(rule.name())) : newReason.when(failed, lit(rule.name()));
        String msg = "rule " + rule.name() + " failed: " + rule.check()
            + (rule.description() == null ? "" : " (" + rule.description() + ")");
        newMessage = newMessage == null ? when(failed, lit(msg)) : newMessage.when(failed, lit(msg));
      } else {
        warned.add(when(failed, lit(rule.name())));
      }
    }
    Dataset<Row> out = rows;
    if (newReason != null) {
      Column clean = reason.isNull();
      out = out.withColumn(Typing.MESSAGE, when(clean, newMessage).otherwise(message))
          .withColumn(Typing.REASON, when(clean, newReason).otherwise(reason));
    }
    if (!warned.isEmpty()) {
      warnings = org.apache.spark.sql.functions.filter(
          org.apache.spark.sql.functions.array(warned.toArray(Column[]::new)), Column::isNotNull);
    }
    return out.withColumn(WARNINGS, when(col(Typing.REASON).isNull(), warnings));
  }
}
