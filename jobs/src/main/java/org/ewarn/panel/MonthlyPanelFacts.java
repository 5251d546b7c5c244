package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the country-month panel's manifest says about itself: each outcome's definition and
 * horizon ({@code outcome.<name>}), each source's coverage ({@code coverage.<source>}), and counts
 * of onsets and of how EWP onsets were dated. Read by the report's Appendix E.
 */
final class MonthlyPanelFacts {
  private MonthlyPanelFacts() {}

  /** Properties of the manifest; adds onset counts to {@code counts}. */
  static Map<String, String> of(Dataset<Row> panel, PanelConfig cfg, Map<String, Long> counts) {
    Map<String, String> p = new LinkedHashMap<>();
    int t = cfg.escalation().threshold();
    int q = cfg.escalation().quietMonths();
    int h = cfg.horizonMonths();
    p.put("outcome.os_escalation_onset", "1 in the first month with >= " + t + " one-sided deaths (ged_os_deaths) after >= "
        + q + " consecutive known months below " + t + "; 0 in other known months; null when the month or one of the "
        + q + " before is unknown (none of them at or above " + t + "). Horizon: the row's month (0); a lead-h target is an onset in t+h");
    p.put("outcome.ewp_mk_onset_month", "1 in the month an Early Warning Project mass-killing onset is dated to: the first month"
        + " of the onset year with one-sided deaths in the country (ged_os_deaths > 0), else January (ewp_mk_onset_dated_by);"
        + " 0 in other months; null after the episode list's last year. Horizon: the row's month (0)");
    p.put("outcome.pitf_gp_onset_month", "1 in the begin month of a PITF genocide/politicide episode (January when no month is"
        + " given); 0 in other months; null after the list's last year (2014). Horizon: the row's month (0)");
    p.put("outcome.mk_onset_any_next", "EWP mass-killing onset (any, state-led, non-state-led: mk_onset_*_next) with onset year"
        + " after the row's year and no later than the year of month t+" + h + ". Horizon: " + h + " months (outcome_horizon_months)");
    p.put("outcome.pitf_gp_onset_next", "PITF genocide/politicide begin month in (t, t+" + h + "]. Horizon: " + h + " months");
    p.put("outcome.look_ahead", "outcome columns describe month t or later; they are never predictors");

    Column os = col("os_escalation_onset");
    Row r = panel.agg(
        sum(when(os.equalTo(1), 1).otherwise(0)).as("esc"),
        sum(when(os.equalTo(1).and(col("year").geq(2000)), 1).otherwise(0)).as("esc2000"),
        count(os).as("esc_known"),
        sum(when(col("ewp_mk_onset_month").equalTo(1), 1).otherwise(0)).as("ewp"),
        sum(when(col("pitf_gp_onset_month").equalTo(1), 1).otherwise(0)).as("pitf"),
        min(when(col("covered_ged_cm"), col("month_index"))).as("cm_first"),
        max(when(col("covered_ged_cm"), col("month_index"))).as("cm_last"),
        sum(when(col("covered_ged_cm"), 1).otherwise(0)).as("cm_rows"),
        countDistinct(when(col("covered_ged_cm"), col("gw_code"))).as("cm_countries"),
        min(when(col("covered_ged_events"), col("month_index"))).as("ev_first"),
        max(when(col("covered_ged_events"), col("month_index"))).as("ev_last"),
        sum(when(col("ged_source").equalTo(CountryMonthPanel.FROM_EVENTS), 1).otherwise(0)).as("ev_rows"),
        sum(when(col("ged_source").isNull(), 1).otherwise(0)).as("none_rows"),
        min(col("month_index")).as("first"), max(col("month_index")).as("last")).first();
    counts.put("onsets.os_escalation_onset", r.getLong(0));
    counts.put("onsets.os_escalation_onset.since_2000", r.getLong(1));
    counts.put("months_known.os_escalation_onset", r.getLong(2));
    counts.put("onsets.ewp_mk_onset_month", r.getLong(3));
    counts.put("onsets.pitf_gp_onset_month", r.getLong(4));
    counts.put("rows.ged_source.ged_cm_views", r.getLong(7));
    counts.put("rows.ged_source.ged_events", r.getLong(11));
    counts.put("rows.ged_source.none", r.getLong(12));
    p.put("coverage.panel", span(r, 13, 14));
    p.put("coverage.ged_cm_views", r.isNullAt(5) ? "not loaded"
        : span(r, 5, 6) + ", " + r.getLong(7) + " country-months of " + r.getLong(8) + " countries (the series wins where it has the month)");
    p.put("coverage.ged_events", r.isNullAt(9) ? "not loaded"
        : span(r, 9, 10) + " (the months of the loaded events; " + r.getLong(11) + " country-months take their values from events)");
    StringBuilder dating = new StringBuilder();
    for (Row d : panel.where(col("ewp_mk_onset_month").equalTo(1)).groupBy("ewp_mk_onset_dated_by").count()
        .orderBy("ewp_mk_onset_dated_by").collectAsList()) {
      counts.put("ewp_dating." + d.getString(0), d.getLong(1));
      dating.append(dating.length() == 0 ? "" : ", ").append(d.getString(0)).append(' ').append(d.getLong(1));
    }
    p.put("ewp_dating", dating.length() == 0 ? "no EWP onsets in the panel's months" : dating.toString());
    p.put("escalation.threshold", Integer.toString(t));
    p.put("escalation.quiet_months", Integer.toString(q));
    return p;
  }

  private static String span(Row r, int first, int last) {
    return Months.of(((Number) r.get(first)).intValue()) + " ... " + Months.of(((Number) r.get(last)).intValue());
  }
}
