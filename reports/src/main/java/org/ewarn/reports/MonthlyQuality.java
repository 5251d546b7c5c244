package org.ewarn.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appendix C's monthly part: the month-level back-test scored by lead (backtest_monthly_metrics),
 * each model beside the baselines at every lead, and its pooled reliability diagrams
 * (backtest_monthly_calibration). Absent marts print one sentence saying so.
 */
final class MonthlyQuality {
  static final String METRICS = "backtest_monthly_metrics";
  static final String CALIBRATION = "backtest_monthly_calibration";

  private final Sections s;
  private final Language lang;
  private final ScoreTables tables;

  MonthlyQuality(Sections s, Language lang, ScoreTables tables) {
    this.s = s;
    this.lang = lang;
    this.tables = tables;
  }

  List<Map<String, ?>> blocks() {
    List<Map<String, ?>> blocks = new ArrayList<>();
    Optional<String> missing = s.unusable(METRICS, lang);
    if (missing.isPresent()) {
      blocks.add(Blocks.text(lang.label("c.monthly"), lang.label("nodata", missing.get())));
      return blocks;
    }
    Mart metrics = s.marts.mart(METRICS).orElseThrow().require("model", "scope", "auc", "aupr", "brier", "onsets");
    // By lead (and pooled); per-target-month rows (scope YYYY-MM) would run to hundreds of lines.
    List<Map<String, Object>> byLead = metrics.where(r -> {
      String scope = Mart.text(r, "scope");
      return "pooled".equals(scope) || (scope != null && scope.startsWith("lead_"));
    }).rows();
    boolean falseAlarms = metrics.columns().contains("false_alarms_per_hit_at_30");
    String reference = metrics.manifest() == null ? null : metrics.manifest().properties().get("protocol.skill_reference");
    String note = lang.label("c.monthly.note", ModelNames.label(reference == null ? "baseline_persistence" : reference, lang));
    blocks.add(Blocks.table(lang.label("c.monthly"), tables.headers(true, falseAlarms), tables.rows(byLead), note));
    Optional<Mart> calibration = s.marts.mart(CALIBRATION).filter(m -> !m.isEmpty());
    if (calibration.isPresent()) {
      blocks.add(Blocks.multiples(lang.label("c.monthly.reliability"), lang.label("c.reliability.note"),
          tables.reliability(calibration.get(), "pooled", WarningQualityAppendix.modelOrder())));
    } else {
      blocks.add(Blocks.text(lang.label("c.monthly.reliability"),
          lang.label("nodata", s.unusable(CALIBRATION, lang).orElse(lang.label("nodata.missing", CALIBRATION)))));
    }
    return blocks;
  }
}
