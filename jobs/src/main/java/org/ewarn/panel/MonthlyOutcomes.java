package org.ewarn.panel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** The outcome columns of the country-month panel: onset months and onsets within a horizon. */
final class MonthlyOutcomes {
  private MonthlyOutcomes() {}

  /**
   * The onset-month outcomes, each 1 in the month of an onset, 0 in other months where the onset
   * is known not to happen, null where it is unknown. They describe the row's own month (horizon
   * 0): a lead-h target is "onset in month t+h", and none of them is ever a predictor.
   *
   * <ul>
   *   <li>{@code os_escalation_onset}: at least T one-sided deaths in the month after at least Q
   *       consecutive known months below T; null while a month of the Q before is unknown (the
   *       first Q months of a source's coverage or of a new state), unless one of them is known to
   *       be at or above T (then 0).
   *   <li>{@code ewp_mk_onset_month}: an EWP mass-killing onset dated to the first month of its
   *       onset year with one-sided deaths in the country, else January ({@code ewp_mk_onset_dated_by}
   *       says which: {@code first_os_month}, {@code january_no_os_deaths}, {@code january_no_data});
   *       null after the last year the episode list covers.
   *   <li>{@code pitf_gp_onset_month}: the begin month of a PITF genocide/politicide (January when
   *       the list gives no month); null after the list's last year.
   * </ul>
   */
  static Dataset<Row> withOnsetMonths(Dataset<Row> panel, CountryMonthPanel.Inputs in, PanelConfig.Escalation esc) {
    return withOnsetMonths(panel, in, esc, Coverage.of(List.of(pitfYears(in))).get(0));
  }

  /** As {@link #withOnsetMonths(Dataset, CountryMonthPanel.Inputs, PanelConfig.Escalation)} with the {@link #pitfYears} known. */
  static Dataset<Row> withOnsetMonths(Dataset<Row> panel, CountryMonthPanel.Inputs in, PanelConfig.Escalation esc,
      Coverage pitfYears) {
    int t = esc.threshold();
    int q = esc.quietMonths();
    WindowSpec before = Window.partitionBy("gw_code").orderBy("month_index").rangeBetween(-q, -1);
    Column os = col("ged_os_deaths");
    Column quiet = sum(when(os.lt(t), 1).otherwise(0)).over(before);
    Column hot = sum(when(os.geq(t), 1).otherwise(0)).over(before);
    panel = panel.withColumn("os_escalation_onset",
        when(os.isNull(), lit(null))
            .when(os.lt(t), lit(0))
            .when(hot.gt(0), lit(0))
            .when(quiet.equalTo(q), lit(1))
            .cast("int"));

    // EWP: one onset per country and year, dated by the panel's own one-sided deaths
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "gw_code")
        .select(col("key").as("gw_code"), col("onset_year")).distinct();
    Dataset<Row> byYear = panel.groupBy(col("gw_code"), col("year").as("onset_year"))
        .agg(org.apache.spark.sql.functions.min(when(os.gt(0), col("month_index"))).as("_first_os"),
            count(os).as("_known_months"));
    Dataset<Row> dated = onsets.join(byYear, new String[] {"gw_code", "onset_year"}, "left")
        .select(col("gw_code"),
            coalesce(col("_first_os"), col("onset_year").multiply(12)).cast("int").as("month_index"),
            when(col("_first_os").isNotNull(), lit("first_os_month"))
                .when(coalesce(col("_known_months"), lit(0L)).gt(0), lit("january_no_os_deaths"))
                .otherwise(lit("january_no_data")).as("ewp_mk_onset_dated_by"),
            lit(1).as("_ewp_onset"));
    panel = panel.join(dated, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("ewp_mk_onset_month",
            when(col("year").leq(in.episodesLastYear()), coalesce(col("_ewp_onset"), lit(0))).cast("int"))
        .drop("_ewp_onset");

    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("gw_code").cast("int").as("gw_code"),
            Months.index(make_date(col("yrbegin").cast("int"),
                coalesce(col("mobegin").cast("int"), lit(1)), lit(1))).cast("int").as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .distinct().withColumn("_pitf_onset", lit(1));
    Column pitfKnown = pitfYears.isEmpty() ? lit(false) : col("year").leq(pitfYears.last());
    return panel.join(pitf, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("pitf_gp_onset_month", when(pitfKnown, coalesce(col("_pitf_onset"), lit(0))).cast("int"))
        .drop("_pitf_onset");
  }

  /** The years the PITF list covers: its onset-month outcome is known through the last. */
  static Coverage.Periods pitfYears(CountryMonthPanel.Inputs in) {
    return new Coverage.Periods(in.pitfGenocide(), col("year").cast("int"));
  }

  /**
   * The last month of each year of the PITF list's rows with a country: {@link #withOutcomes}'s
   * onsets in (t, t+h] are known while t+h is inside them.
   */
  static Coverage.Periods pitfLastMonths(CountryMonthPanel.Inputs in) {
    return new Coverage.Periods(in.pitfGenocide().where(col("gw_code").isNotNull()),
        col("year").cast("int").multiply(12).plus(11));
  }

  /**
   * Onset outcomes {@code horizon} months ahead. EWP episodes are dated by year only, so an
   * episode counts when its start year lies after the row's year and no later than the year of the
   * horizon's last month; PITF episodes have a start month and count when it lies in (t, t+h],
   * known while t+h is inside {@code pitfCoverage} ({@link #pitfLastMonths}).
   */
  static Dataset<Row> withOutcomes(Dataset<Row> panel, CountryMonthPanel.Inputs in, int horizon, Coverage pitfCoverage) {
    Dataset<Row> keys = panel.select("gw_code", "month_index")
        .withColumn("y0", expr("floor(month_index / 12)").cast("int"))
        .withColumn("y1", expr("floor((month_index + " + horizon + ") / 12)").cast("int"));
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "gw_code");
    Dataset<Row> ewp = keys.join(onsets,
            keys.col("gw_code").equalTo(onsets.col("key"))
                .and(onsets.col("onset_year").gt(keys.col("y0")))
                .and(onsets.col("onset_year").leq(keys.col("y1"))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"), keys.col("y1"))
        .agg(max(coalesce(onsets.col("any_led"), lit(0))).as("mk_onset_any_next"),
            max(coalesce(onsets.col("state_led"), lit(0))).as("mk_onset_state_next"),
            max(coalesce(onsets.col("non_state_led"), lit(0))).as("mk_onset_nonstate_next"));
    Column known = col("y1").leq(in.episodesLastYear());
    for (String c : List.of("mk_onset_any_next", "mk_onset_state_next", "mk_onset_nonstate_next")) {
      ewp = ewp.withColumn(c, when(known, col(c)).cast("int"));
    }
    ewp = ewp.drop("y1");

    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("gw_code").as("key"),
            Months.index(make_date(col("yrbegin").cast("int"),
                coalesce(col("mobegin").cast("int"), lit(1)), lit(1))).as("onset_month"))
        .where(col("key").isNotNull());
    Dataset<Row> pitfOnsets = pitf.select("key", "onset_month").distinct();
    Dataset<Row> pitfRows = keys.join(pitfOnsets,
            keys.col("gw_code").equalTo(pitfOnsets.col("key"))
                .and(pitfOnsets.col("onset_month").gt(keys.col("month_index")))
                .and(pitfOnsets.col("onset_month").leq(keys.col("month_index").plus(horizon))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"))
        .agg(max(when(pitfOnsets.col("key").isNotNull(), 1).otherwise(0)).as("pitf_gp_onset_next"))
        .withColumn("pitf_gp_onset_next",
            when(pitfCoverage.contains(col("month_index").plus(horizon)), col("pitf_gp_onset_next")).cast("int"));

    return panel.join(ewp, new String[] {"gw_code", "month_index"}, "left")
        .join(pitfRows, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("outcome_horizon_months", lit(horizon));
  }
}
