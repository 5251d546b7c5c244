package org.ewarn.reports;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scorecards and reliability diagrams of Appendix C, for the annual and the monthly
 * back-test alike: one row per model, scope and sample, models before baselines before external
 * sources, so every source sits beside the yardsticks it is measured against.
 */
final class ScoreTables {
  private final Language lang;
  private final NumberFormat three;
  private final NumberFormat two;

  ScoreTables(Language lang) {
    this.lang = lang;
    this.three = Sections.decimals(lang, 3);
    this.two = Sections.decimals(lang, 2);
  }

  /** 0 models, 1 baselines, 2 external sources. */
  static int kind(Map<String, Object> r) {
    return "external".equals(Mart.text(r, "protocol")) ? 2 : ModelNames.baseline(Mart.text(r, "model")) ? 1 : 0;
  }

  static boolean yearScope(String scope) {
    return scope != null && scope.matches("\\d{4}");
  }

  /** Order of scopes: pooled first, then leads by number, then anything else by name. */
  static Comparator<String> scopeOrder() {
    return Comparator.comparing((String sc) -> "pooled".equals(sc) ? 0 : sc != null && sc.startsWith("lead_") ? 1 : 2)
        .thenComparing(sc -> sc != null && sc.matches("lead_\\d+") ? Integer.parseInt(sc.substring(5)) : 0)
        .thenComparing(Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  private static Comparator<Map<String, Object>> sourceOrder() {
    return Comparator.comparing(ScoreTables::kind)
        .thenComparing((Map<String, Object> r) -> Mart.number(r, "auc") == null ? 1.0 : -Mart.number(r, "auc"))
        .thenComparing(r -> Mart.text(r, "model"));
  }

  /**
   * Own sample, then the long-running sources' common sample (most of the span), then the strict
   * common sample (every source, so only the years of the shortest), then anything else by name.
   */
  static Comparator<String> sampleOrder() {
    List<String> known = List.of("own", "common_long", "common");
    return Comparator.comparing((String sample) -> sample == null ? 0
            : known.contains(sample) ? known.indexOf(sample) : known.size())
        .thenComparing(Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  /**
   * The side-by-side scorecard: rows sorted by scope (pooled, then each lead), then sample (own,
   * common over the long-running sources, common over all), then source: at every scope each
   * model sits beside the baselines.
   */
  List<Map<String, ?>> rows(List<Map<String, Object>> metrics) {
    List<Map<String, Object>> sorted = new ArrayList<>(metrics);
    sorted.sort(Comparator.comparing((Map<String, Object> r) -> Mart.text(r, "scope"), scopeOrder())
        .thenComparing(r -> Mart.text(r, "sample"), sampleOrder())
        .thenComparing(sourceOrder()));
    List<Map<String, ?>> out = new ArrayList<>();
    for (Map<String, Object> r : sorted) {
      String model = ModelNames.label(Mart.text(r, "model"), lang);
      String scope = ModelNames.term("scope", Mart.text(r, "scope"), lang);
      String sample = ModelNames.term("sample", Mart.text(r, "sample") == null ? "own" : Mart.text(r, "sample"), lang);
      Double fa = Mart.number(r, "false_alarms_per_hit_at_30");
      out.add(Blocks.cells(List.of(model, scope, sample,
          Sections.interval(three, r, "auc", "auc_lower", "auc_upper"),
          Sections.format(three, Mart.number(r, "aupr")),
          Sections.format(three, Mart.number(r, "brier")),
          Sections.format(three, Mart.number(r, "brier_skill")),
          Sections.interval(two, r, "recall_at_30", "recall_at_30_lower", "recall_at_30_upper"),
          fa != null ? Sections.format(two, fa) : Sections.format(two, Mart.number(r, "precision_at_30")),
          Mart.integer(r, "onsets") == null ? "" : String.valueOf(Mart.integer(r, "onsets")))));
    }
    return out;
  }

  /** {@code monthly}: the scope column is the lead in months. */
  List<String> headers(boolean monthly, boolean falseAlarms) {
    return List.of(lang.label("c.col.model"),
        lang.label(monthly ? "c.col.lead.months" : "c.col.scope"), lang.label("c.col.sample"),
        lang.label("c.col.auc"), lang.label("c.col.aupr"), lang.label("c.col.brier"),
        lang.label("c.col.skill"), lang.label("c.col.recall"),
        lang.label(falseAlarms ? "c.col.falsealarms" : "c.col.precision"), lang.label("c.col.onsets"));
  }

  /**
   * One reliability diagram per source for the given scope and the own sample: mean predicted
   * risk against observed onset rate per bin, each point labelled with its forecast count.
   */
  List<Map<String, ?>> reliability(Mart calibration, String scope, Comparator<String> modelOrder) {
    calibration.require("model", "bin", "forecasts", "mean_risk", "observed_rate");
    boolean sampled = calibration.columns().contains("sample");
    boolean scoped = calibration.columns().contains("scope");
    if (scoped && calibration.rows().stream().noneMatch(r -> scope.equals(Mart.text(r, "scope")))) {
      // No pooled table (a back-test that bins by lead only): the first scope in reading order.
      String first = calibration.rows().stream().map(r -> Mart.text(r, "scope")).filter(java.util.Objects::nonNull)
          .min(scopeOrder()).orElse(scope);
      if (!first.equals(scope)) {
        return reliability(calibration, first, modelOrder);
      }
    }
    Map<String, List<double[]>> byModel = new TreeMap<>(modelOrder);
    Map<String, long[]> totals = new TreeMap<>(modelOrder);
    for (Map<String, Object> r : calibration.rows()) {
      if ((scoped && !scope.equals(Mart.text(r, "scope")))
          || (sampled && Mart.text(r, "sample") != null && !"own".equals(Mart.text(r, "sample")))) {
        continue;
      }
      String model = Mart.text(r, "model");
      Integer n = Mart.integer(r, "forecasts");
      Integer onsets = Mart.integer(r, "onsets");
      long[] t = totals.computeIfAbsent(model, k -> new long[2]);
      t[0] += n == null ? 0 : n;
      t[1] += onsets == null ? 0 : onsets;
      Double mean = Mart.number(r, "mean_risk");
      Double observed = Mart.number(r, "observed_rate");
      if (mean != null && observed != null && n != null && n > 0) {
        byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(new double[] {mean, observed, n});
      }
    }
    double max = 0;
    for (List<double[]> points : byModel.values()) {
      for (double[] p : points) {
        max = Math.max(max, Math.max(p[0], p[1]));
      }
    }
    // Rare onsets: a unit square would crowd every point into its corner.
    double scale = Math.min(1, Math.max(0.05, Math.ceil(max * 1.1 * 20) / 20));
    List<Map<String, ?>> panels = new ArrayList<>();
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      String caption = lang.label("c.reliability.caption", ModelNames.label(e.getKey(), lang),
          e.getValue()[0], e.getValue()[1]);
      panels.add(Blocks.panel(caption, Charts.reliability(byModel.getOrDefault(e.getKey(), List.of()), scale)));
    }
    return panels;
  }
}
