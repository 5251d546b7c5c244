package org.ewarn.reports;

import java.util.List;

/** The report appendices: template name and the marts each one reads. */
enum Appendix {
  A("A_ranking", "a.title", List.of("risk_forecasts", "backtest_metrics", "countries")),
  B("B_trajectories", "b.title", List.of("risk_forecasts", "risk_trajectories", "countries")),
  C("C_warning_quality", "c.title",
      List.of("backtest_metrics", "backtest_calibration", "backtest_cases", "backtest_lead_times", "backtest_curves",
          "backtest_monthly_metrics", "backtest_monthly_calibration", "countries")),
  D("D_risk_factors", "d.title", List.of("risk_forecasts", "risk_factor_profiles", "countries")),
  E("E_data_methods", "e.title", List.of("risk_forecasts", "risk_trajectories", "risk_drivers",
      "risk_factor_profiles", "backtest_warnings", "backtest_metrics", "backtest_cases",
      "backtest_lead_times", "backtest_curves", "countries"));

  final String template;
  final String titleKey;
  final List<String> datasets;

  Appendix(String template, String titleKey, List<String> datasets) {
    this.template = template;
    this.titleKey = titleKey;
    this.datasets = datasets;
  }
}
