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
 *
 * <p>Rules follow the format ({@code quality.rules.<format>}): a file is checked because of what
 * it is, not what it is called, so ingesting GED under a new dataset name keeps every GED rule. A
 * dataset may add rules of its own ({@code quality.dataset-rules.<dataset>}).
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
    List<Column> tallies = warningTallyColumns(rules);
    return tallies.isEmpty() ? null
        : rows.agg(tallies.get(0), tallies.subList(1, tallies.size()).toArray(Column[]::new));
  }

  /**
   * The aggregates of {@link #warningTallies}, one per warning rule and named like it, for a caller
   * that takes them in the same pass as other aggregates of the rows.
   */
  static List<Column> warningTallyColumns(List<Rule> rules) {
    List<Column> tallies = new java.util.ArrayList<>();
    for (Rule rule : rules) {
      if (rule.level() == Level.WARNING) {
        tallies.add(coalesce(sum(warned(rule)), lit(0L)).as(rule.name()));
      }
    }
    return tallies;
  }

  /**
   * Per row, 1 where a warning rule fails and 0 elsewhere, one column per warning rule named like
   * it: the terms of {@link #warningTallyColumns}, for rows held in memory and summed there.
   */
  static List<Column> warningFlagColumns(List<Rule> rules) {
    List<Column> flags = new java.util.ArrayList<>();
    for (Rule rule : rules) {
      if (rule.level() == Level.WARNING) {
        flags.add(warned(rule).as(rule.name()));
      }
    }
    return flags;
  }

  private static Column warned(Rule rule) {
    return when(failed(rule), 1L).otherwise(0L);
  }

  /**
   * The column names a rule's check reads, from Spark's own SQL parser (no session needed), so a
   * misspelt column is a configuration error before any file is read, not an analysis error
   * halfway through an ingest.
   */
  static java.util.Set<String> columnsRead(String check) {
    org.apache.spark.sql.catalyst.expressions.Expression parsed;
    try {
      parsed = org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseExpression(check);
    } catch (Exception e) { // ParseException is checked in Java's eyes, though Scala throws it unchecked
      throw new IllegalArgumentException("not a Spark SQL condition: " + e.getMessage().lines().findFirst().orElse(""));
    }
    java.util.Set<String> out = new java.util.TreeSet<>();
    collect(parsed, out);
    return out;
  }

  private static void collect(org.apache.spark.sql.catalyst.expressions.Expression e, java.util.Set<String> out) {
    if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute a) {
      out.add(a.nameParts().last().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    for (var child : scala.jdk.javaapi.CollectionConverters.asJava(e.children())) {
      collect(child, out);
    }
  }

  /** Refuses rules reading columns the rows do not have (exit 2), naming rule, columns and {@code where}. */
  static void requireColumns(List<Rule> rules, java.util.Collection<String> columns, String where) {
    java.util.Set<String> have = new java.util.HashSet<>();
    columns.forEach(c -> have.add(c.toLowerCase(java.util.Locale.ROOT)));
    for (Rule rule : rules) {
      java.util.Set<String> missing = new java.util.TreeSet<>(columnsRead(rule.check()));
      missing.removeAll(have);
      if (!missing.isEmpty()) {
        throw org.ewarn.run.StageFailure.config("quality rule " + rule.name() + " (" + where + ") reads "
            + missing + ", which " + (missing.size() == 1 ? "is not a column" : "are not columns")
            + " of the rows it checks; columns: " + new java.util.TreeSet<>(have));
      }
    }
  }

  private static Column failed(Rule rule) {
    return not(coalesce(expr(rule.check()), lit(true)));
  }
}
