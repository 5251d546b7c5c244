package org.ewarn.reports;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Appendix C: warning quality. The annual scorecard of every model, baseline and external source
 * side by side (own and common samples, Brier skill), reliability diagrams, catch plot, lead
 * times, ROC and PR curves; the monthly scorecard by lead with its reliability diagrams; and the
 * table of onsets with their warnings. Each section is a block (see {@link Blocks}).
 */
final class WarningQualityAppendix {
  /** At most this many curves in one ROC or PR chart: beyond it the lines cannot be told apart. */
  static final int CURVES = 5;

  private final Sections s;
  private final Language lang;
  private final ScoreTables tables;

  WarningQualityAppendix(Sections s, Language lang) {
    this.s = s;
    this.lang = lang;
    this.tables = new ScoreTables(lang);
  }

  /** Models first, then baselines, then external sources (EWP's own forecasts), by id. */
  static Comparator<String> modelOrder() {
    return Comparator.comparing((String id) -> id.startsWith("ewp_") ? 2 : ModelNames.baseline(id) ? 1 : 0)
        .thenComparing(Comparator.naturalOrder());
  }

  Sections.Filled fill() {
    Optional<String> missing = s.unusable("backtest_metrics", lang);
    if (missing.isPresent()) {
      return s.noData(Appendix.C, lang, missing.get());
    }
    Mart metrics = s.marts.mart("backtest_metrics").orElseThrow()
        .require("model", "protocol", "scope", "auc", "aupr", "brier", "recall_at_30",
            "precision_at_30", "auc_lower", "auc_upper", "recall_at_30_lower", "recall_at_30_upper", "onsets");
    List<Map<String, ?>> blocks = new ArrayList<>();
    List<Map<String, Object>> annual = metrics.where(r -> !"monthly".equals(Mart.text(r, "protocol"))).rows();
    List<Map<String, Object>> headline = annual.stream().filter(r -> !ScoreTables.yearScope(Mart.text(r, "scope"))).toList();
    blocks.add(Blocks.table(lang.label("c.scorecard"), tables.headers(false, false), tables.rows(headline),
        skillNote(metrics)));

    String caseModel = caseModel();
    String yearsModel = caseModel != null ? caseModel : s.model();
    List<Map<String, Object>> years = annual.stream().filter(r -> ScoreTables.yearScope(Mart.text(r, "scope"))
        && yearsModel.equals(Mart.text(r, "model"))).toList();
    if (!years.isEmpty()) {
      blocks.add(Blocks.table(lang.label("c.years", ModelNames.label(yearsModel, lang)),
          tables.headers(false, false), tables.rows(years), null));
    }
    s.marts.mart("backtest_calibration").filter(m -> !m.isEmpty()).ifPresent(cal -> {
      Mart annualCal = cal.columns().contains("protocol") ? cal.where(r -> !"monthly".equals(Mart.text(r, "protocol"))) : cal;
      blocks.add(Blocks.multiples(lang.label("c.reliability"), lang.label("c.reliability.note"),
          tables.reliability(annualCal, "pooled", modelOrder())));
    });
    blocks.addAll(charts(caseModel, headline));
    blocks.addAll(new MonthlyQuality(s, lang, tables).blocks());
    List<Map<String, ?>> cases = cases(caseModel);
    if (!cases.isEmpty()) {
      blocks.add(Blocks.rows("cases", lang.label("c.cases", ModelNames.label(caseModel, lang)), cases));
    }
    List<String> vintages = s.vintages(Appendix.C);
    Map<String, Object> p = s.common(lang, vintages);
    return new Sections.Filled(Appendix.C, p, blocks, null, vintages);
  }

  /** The skill reference and the year share that makes a source long-running (common_long sample). */
  private String skillNote(Mart metrics) {
    Map<String, String> properties = metrics.manifest() == null ? Map.of() : metrics.manifest().properties();
    String reference = properties.get("protocol.skill_reference");
    String share = properties.get("protocol.long_source_year_share");
    long percent = share == null ? 50 : Math.round(Double.parseDouble(share) * 100);
    return lang.label("c.skill.note", ModelNames.label(reference == null ? "baseline_history" : reference, lang), percent);
  }

  /** The ranking's model if the back-test has its cases, else the one with most cases (ties by name). */
  private String caseModel() {
    Optional<Mart> cases = s.marts.mart("backtest_cases");
    if (cases.isEmpty() || cases.get().isEmpty() || !cases.get().columns().contains("model")) {
      return null;
    }
    Map<String, Integer> counts = new TreeMap<>();
    cases.get().rows().forEach(r -> counts.merge(Mart.text(r, "model"), 1, Integer::sum));
    if (counts.containsKey(s.model())) {
      return s.model();
    }
    return counts.entrySet().stream()
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .orElseThrow().getKey();
  }

  private List<Map<String, ?>> cases(String caseModel) {
    List<Map<String, ?>> rows = new ArrayList<>();
    if (caseModel == null) {
      return rows;
    }
    Mart c = s.marts.mart("backtest_cases").orElseThrow().require("model", "country", "ccode", "onset_year",
        "rank_1_before", "rank_2_before", "lead_time", "chronic", "missed");
    List<Map<String, Object>> sorted = new ArrayList<>(c.where(r -> caseModel.equals(Mart.text(r, "model"))).rows());
    sorted.sort(Comparator.comparing((Map<String, Object> r) -> Mart.integer(r, "onset_year"))
        .thenComparing(r -> Mart.text(r, "country")));
    for (Map<String, Object> r : sorted) {
      Integer r1 = Mart.integer(r, "rank_1_before");
      Integer r2 = Mart.integer(r, "rank_2_before");
      Integer lead = Mart.integer(r, "lead_time");
      String status = Mart.flag(r, "missed") ? lang.label("status.missed")
          : Mart.flag(r, "chronic") ? lang.label("status.chronic") : lang.label("status.flagged");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("country", s.countryName(r.get("ccode"), Mart.text(r, "country"), lang));
      row.put("onset", String.valueOf(Mart.integer(r, "onset_year")));
      row.put("episode", c.columns().contains("episode_name") && Mart.text(r, "episode_name") != null
          ? Mart.text(r, "episode_name") : "");
      row.put("rank1", r1 == null ? "–" : r1.toString());
      row.put("rank2", r2 == null ? "–" : r2.toString());
      row.put("lead", lead == null ? "–" : lead.toString());
      row.put("status", status);
      row.put("missed", Mart.flag(r, "missed"));
      rows.add(row);
    }
    return rows;
  }

  /** Catch plot and lead times of the case model; ROC and PR curves of the best few sources. */
  private List<Map<String, ?>> charts(String caseModel, List<Map<String, Object>> headline) {
    List<double[]> catchPoints = new ArrayList<>();
    int rankMax = s.config.topN() * 4;
    if (caseModel != null) {
      for (Map<String, Object> r : s.marts.mart("backtest_cases").orElseThrow().rows()) {
        Integer r1 = Mart.integer(r, "rank_1_before");
        if (caseModel.equals(Mart.text(r, "model")) && r1 != null) {
          catchPoints.add(new double[] {Mart.integer(r, "onset_year"), r1});
          rankMax = Math.max(rankMax, r1);
        }
      }
    }
    Map<Integer, Integer> leads = new TreeMap<>();
    s.marts.mart("backtest_lead_times").ifPresent(m -> {
      m.require("model", "lead_time", "cases");
      for (Map<String, Object> r : m.rows()) {
        if (caseModel == null || caseModel.equals(Mart.text(r, "model"))) {
          Integer lead = Mart.integer(r, "lead_time");
          leads.merge(lead == null ? 0 : lead, Mart.integer(r, "cases"), Integer::sum);
        }
      }
    });
    Map<String, List<double[]>> roc = new LinkedHashMap<>();
    Map<String, List<double[]>> pr = new LinkedHashMap<>();
    List<String> shown = curveModels(caseModel, headline);
    shown.forEach(m -> {
      roc.put(m, new ArrayList<>());
      pr.put(m, new ArrayList<>());
    });
    s.marts.mart("backtest_curves").ifPresent(m -> {
      m.require("model", "curve", "x", "y");
      for (Map<String, Object> r : m.rows()) {
        String model = Mart.text(r, "model");
        double[] xy = {Mart.number(r, "x"), Mart.number(r, "y")};
        Map<String, List<double[]>> target = "roc".equals(Mart.text(r, "curve")) ? roc
            : "pr".equals(Mart.text(r, "curve")) ? pr : null;
        if (target != null && (target.containsKey(model) || (shown.isEmpty() && target.size() < CURVES))) {
          target.computeIfAbsent(model, k -> new ArrayList<>()).add(xy);
        }
      }
    });
    roc.values().removeIf(List::isEmpty);
    pr.values().removeIf(List::isEmpty);
    Map<String, Color> rocLegend = new LinkedHashMap<>();
    Map<String, Color> prLegend = new LinkedHashMap<>();
    int i = 0;
    for (String m : roc.keySet()) {
      rocLegend.put(ModelNames.label(m, lang), Charts.series(i++));
    }
    i = 0;
    for (String m : pr.keySet()) {
      prLegend.put(ModelNames.label(m, lang), Charts.series(i++));
    }
    return List.of(
        Blocks.charts(new Blocks.Chart(lang.label("c.catch"), Charts.catchPlot(catchPoints, rankMax, s.config.topN()),
                null, lang.label("c.catch.note", s.config.topN())),
            new Blocks.Chart(lang.label("c.lead"), Charts.leadTimes(leads), null, lang.label("c.lead.axes"))),
        Blocks.charts(new Blocks.Chart(lang.label("c.roc"), Charts.curves(new ArrayList<>(roc.values()), true),
                Blocks.legend(rocLegend), lang.label("c.roc.axes")),
            new Blocks.Chart(lang.label("c.pr"), Charts.curves(new ArrayList<>(pr.values()), false),
                Blocks.legend(prLegend), lang.label("c.pr.axes"))));
  }

  /**
   * The case model, then the other sources by pooled own-sample AUC, at most {@link #CURVES};
   * empty (then the first curves of the mart are drawn) when there is nothing to rank by.
   */
  private static List<String> curveModels(String caseModel, List<Map<String, Object>> headline) {
    Map<String, Double> auc = new HashMap<>();
    for (Map<String, Object> r : headline) {
      String sample = Mart.text(r, "sample");
      if ("pooled".equals(Mart.text(r, "scope")) && (sample == null || "own".equals(sample))) {
        auc.merge(Mart.text(r, "model"), Mart.number(r, "auc") == null ? 0 : Mart.number(r, "auc"), Math::max);
      }
    }
    List<String> out = new ArrayList<>();
    if (caseModel != null) {
      out.add(caseModel);
    }
    auc.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).filter(m -> !out.contains(m)).forEach(out::add);
    return out.subList(0, Math.min(CURVES, out.size()));
  }
}
