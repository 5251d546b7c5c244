package org.ewarn.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The monthly back-test's outcome, and the rule that keeps the panel's look-ahead columns out of
 * its predictors.
 *
 * <p>The country-month panel carries only window outcomes: {@code W(t) = 1} when an onset falls in
 * months t+1 … t+H (H = {@code outcome_horizon_months}). The month-level onset the rolling-origin
 * protocol needs is where the window switches on: {@code onset(m) = 1} when {@code W(m−H) = 1} and
 * {@code W(m−H−1) = 0}, i.e. the first onset after at least H quiet months (a second onset in the
 * same country within H months is not a new onset). With {@code pitf_gp_onset_next} that is the
 * PITF genocide/politicide start month; with the EWP columns, whose episodes are dated by year
 * only, it is January of the onset year. Unknown (null) when either window value is unknown.
 */
public final class MonthlyOutcome {
  private MonthlyOutcome() {}

  /** The derived outcome column's name. */
  public static final String ONSET = "onset";

  /**
   * Columns that describe the future of their row (the panel's outcomes): {@code *_next},
   * {@code *_within*}, {@code mk_onset*}, {@code pitf_*onset*}, {@code outcome_horizon_months}
   * and the derived {@code onset}. Never predictors.
   */
  static final Pattern LOOK_AHEAD = Pattern.compile(
      "(?i).*_next(_.*)?|.*_within.*|mk_onset.*|pitf_.*onset.*|outcome_horizon_months|onset(_.*)?");

  public static boolean looksAhead(String column) {
    return LOOK_AHEAD.matcher(column).matches();
  }

  /**
   * Adds {@link #ONSET} to {@code panel} (key {@code unitColumn}, {@code month_index}) from the
   * window column {@code windowColumn} of horizon {@code horizon} months.
   */
  public static Dataset<Row> withOnset(Dataset<Row> panel, String unitColumn, String windowColumn, int horizon) {
    Dataset<Row> now = panel.select(col(unitColumn).as("_u"), col("month_index").cast("int").as("_t"),
        col(windowColumn).cast("int").as("_w"));
    Dataset<Row> before = now.select(col("_u").as("_u0"), col("_t").plus(1).as("_t0"), col("_w").as("_w0"));
    Column w = col("_w");
    Column w0 = col("_w0");
    Dataset<Row> onsets = now.join(before, col("_u").equalTo(col("_u0")).and(col("_t").equalTo(col("_t0"))), "left")
        .select(col("_u").as(unitColumn), col("_t").plus(horizon).as("month_index"),
            when(w.equalTo(0), lit(0))
                .when(w.equalTo(1).and(w0.equalTo(0)), lit(1))
                .when(w.equalTo(1).and(w0.equalTo(1)), lit(0))
                .cast("int").as(ONSET));
    return panel.drop(ONSET).join(onsets, List.of(unitColumn, "month_index").toArray(String[]::new), "left");
  }
}
