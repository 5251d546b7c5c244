package org.ewarn.backtest;

import java.util.regex.Pattern;

/**
 * The rule that keeps the panel's outcome columns out of the monthly back-test's predictors.
 *
 * <p>The country-month panel carries onset-month indicators ({@code os_escalation_onset},
 * {@code ewp_mk_onset_month}, {@code pitf_gp_onset_month}: 1 in the month an episode starts) and
 * look-ahead windows ({@code *_next}: an onset in t+1 … t+H). The back-test's lead-h target for
 * month t is the chosen onset column at t + h. Every onset column is kept out of the predictors,
 * even the month's own: EWP episodes are dated to a month after the fact (January when the year had
 * no one-sided deaths), so an onset indicator can know more than its month did.
 */
public final class MonthlyOutcome {
  private MonthlyOutcome() {}

  /**
   * Columns that describe outcomes: any name with {@code onset}, {@code *_next}, {@code *_within*}
   * and {@code outcome_horizon_months}. Never predictors.
   */
  static final Pattern LOOK_AHEAD = Pattern.compile(
      "(?i).*onset.*|.*_next(_.*)?|.*_within.*|outcome_horizon_months");

  public static boolean looksAhead(String column) {
    return LOOK_AHEAD.matcher(column).matches();
  }
}
