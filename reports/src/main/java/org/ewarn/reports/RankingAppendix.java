package org.ewarn.reports;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appendix A: every country by rank with risk, its interval (drawn as a range bar), the previous
 * edition and the change; the three warning groups; and which model ranks them, why (the
 * forecast's primary-model rule and evidence) and how it did in the back-test.
 */
final class RankingAppendix {
  private final Sections s;
  private final Language lang;

  RankingAppendix(Sections s, Language lang) {
    this.s = s;
    this.lang = lang;
  }

  Sections.Filled fill() {
    List<Map<String, Object>> rows = s.forecastRows();
    if (rows.isEmpty()) {
      return s.noData(Appendix.A, lang, lang.label("nodata.empty", "risk_forecasts", s.marts.edition));
    }
    Mart forecasts = s.marts.mart("risk_forecasts").orElseThrow();
    // Marts published before the forecast stage drew intervals have no such columns.
    boolean intervals = forecasts.columns().contains("risk_lower") && forecasts.columns().contains("risk_upper")
        && rows.stream().anyMatch(r -> Mart.number(r, "risk_lower") != null);
    double scaleMax = 0;
    for (Map<String, Object> r : rows) {
      Double hi = intervals ? Sections.percentOrNull(r, "risk_upper") : null;
      scaleMax = Math.max(scaleMax, hi != null ? hi : Sections.percent(r, "risk"));
    }
    scaleMax = Math.max(1, Math.ceil(scaleMax));
    NumberFormat pct = Sections.decimals(lang, 2);
    List<Map<String, ?>> out = new ArrayList<>();
    List<String> highest = new ArrayList<>();
    List<String> increased = new ArrayList<>();
    List<String> consistent = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      String name = s.countryName(r.get("ccode"), Mart.text(r, "country"), lang);
      Integer rank = Mart.integer(r, "rank");
      double risk = Sections.percent(r, "risk");
      StringBuilder markers = new StringBuilder();
      if (Mart.flag(r, "highest_risk")) {
        markers.append('●');
        highest.add(rank + ". " + name + " " + lang.isolate("(" + lang.percentText(pct.format(risk)) + ")"));
      }
      if (Mart.flag(r, "risk_increased")) {
        markers.append('▲');
        Double change = Sections.percentOrNull(r, "risk_change");
        increased.add(name + (change == null ? ""
            : " (" + lang.isolate("+" + pct.format(change)) + " " + lang.label("unit.pp") + ")"));
      }
      if (Mart.flag(r, "consistently_high")) {
        markers.append('■');
        consistent.add(name);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", rank);
      row.put("country", name);
      row.put("risk", risk);
      row.put("previous", Sections.percentOrNull(r, "risk_previous_edition"));
      row.put("change", Sections.percentOrNull(r, "risk_change"));
      row.put("markers", markers.toString());
      Double lo = intervals ? Sections.percentOrNull(r, "risk_lower") : null;
      Double hi = intervals ? Sections.percentOrNull(r, "risk_upper") : null;
      row.put("interval", lo == null || hi == null ? "" : pct.format(lo) + "–" + pct.format(hi));
      row.put("bar", lo == null || hi == null ? null : Charts.rangeBar(lo, risk, hi, scaleMax));
      out.add(row);
    }
    List<String> vintages = s.vintages(Appendix.A);
    Map<String, Object> p = s.common(lang, vintages);
    String none = lang.label("a.group.none");
    p.put("HIGHEST_LIST", highest.isEmpty() ? none : String.join("\n", highest));
    p.put("INCREASED_LIST", increased.isEmpty() ? none : String.join("\n", increased));
    p.put("CONSISTENT_LIST", consistent.isEmpty() ? none : String.join("\n", consistent));
    p.put("INTRO", lang.label("a.intro", s.config.topN()));
    p.put("INTERVALS", intervals);
    p.put("INTERVAL_HEADER", lang.label("col.interval", level(forecasts)));
    p.put("BAR_SCALE", lang.label("a.bar.scale", "0", pct.format(scaleMax)));
    p.put("PRIMARY", primaryModelText(forecasts, intervals));
    return new Sections.Filled(Appendix.A, p, out, null, vintages);
  }

  /** "90" from interval.level 0.9 or 90; 90 when the manifest does not say. */
  private static String level(Mart forecasts) {
    String v = forecasts.manifest() == null ? null : forecasts.manifest().properties().get("interval.level");
    try {
      double d = v == null ? 0.9 : Double.parseDouble(v.replace("%", "").strip());
      return new java.text.DecimalFormat("0.#").format(d <= 1 ? 100 * d : d);
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /**
   * Names the ranked model, the manifest's rule and evidence for it, and its own pooled back-test
   * figures (annual protocol, own sample), so the drafter cites what the evaluator reads in C.
   */
  private String primaryModelText(Mart forecasts, boolean intervals) {
    Map<String, String> props = forecasts.manifest() == null ? Map.of() : forecasts.manifest().properties();
    String model = s.model();
    StringBuilder b = new StringBuilder(lang.label("a.primary", ModelNames.label(model, lang)));
    if (model.equals(props.get("primary_model"))) {
      String rule = props.get("primary_model.rule");
      String evidence = props.get("primary_model.evidence");
      Optional<PrimaryChoice> choice = PrimaryChoice.parse(rule, evidence);
      if (choice.isPresent()) {
        b.append(' ').append(ruleText(choice.get().rule())).append(' ').append(evidenceText(choice.get().evidence()));
      } else if (rule != null && !rule.isBlank()) {
        // A manifest in a form this build does not know: its own words, as data.
        b.append(' ').append(lang.label("a.primary.rule", rule.strip()));
      }
      if (choice.isEmpty() && evidence != null && !evidence.isBlank()) {
        b.append(' ').append(lang.label("a.primary.evidence", evidence.strip()));
      }
    } else if (!s.config.model().isEmpty()) {
      b.append(' ').append(lang.label("a.primary.configured"));
    }
    Optional<Map<String, Object>> bt = pooledBacktest(model);
    if (bt.isPresent()) {
      Map<String, Object> r = bt.get();
      NumberFormat three = Sections.decimals(lang, 3);
      NumberFormat two = Sections.decimals(lang, 2);
      b.append(' ').append(lang.label("a.primary.backtest",
          Sections.interval(three, r, "auc", "auc_lower", "auc_upper"),
          Sections.interval(two, r, "recall_at_30", "recall_at_30_lower", "recall_at_30_upper"),
          Sections.format(three, Mart.number(r, "brier")),
          Sections.format(three, Mart.number(r, "brier_skill")),
          Mart.integer(r, "onsets") == null ? "–" : String.valueOf(Mart.integer(r, "onsets"))));
    } else {
      b.append(' ').append(lang.label("a.primary.nobacktest"));
    }
    if (intervals) {
      b.append(' ').append(lang.label("a.interval.note", level(forecasts), intervalMethodText(props.get("interval.method"))));
    }
    return b.toString();
  }

  /** The interval method in this language; a manifest sentence in a form this build does not know, as data. */
  private String intervalMethodText(String method) {
    if (method == null || method.isBlank()) {
      return lang.label("e.none");
    }
    return IntervalMethod.parse(method)
        .map(m -> lang.label("a.interval.method", m.replicates(), allDigits(m.lambda()),
            ModelNames.label(m.model(), lang), m.horizonYears()))
        .orElse(method.strip());
  }

  /** A small parameter with every digit the manifest gave (0.002357 is not 0.002), this language's decimal sign. */
  private String allDigits(double value) {
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMaximumFractionDigits(12);
    f.setGroupingUsed(false);
    return f.format(value);
  }

  /** The primary-model rule in this language, from its settings. */
  private String ruleText(PrimaryChoice.Rule r) {
    return switch (r.kind()) {
      case "margin" -> lang.label("a.primary.rule.margin", ModelNames.label(r.defaultModel(), lang),
          models(r.candidates()), plain(r.aucMargin()), r.recallK());
      case "best_auc" -> lang.label("a.primary.rule.best_auc", models(r.candidates()), r.recallK());
      default -> lang.label("a.primary.rule.fixed", ModelNames.label(r.defaultModel(), lang));
    };
  }

  /** The back-test figures behind the choice and why, numbers in this language's format. */
  private String evidenceText(PrimaryChoice.Evidence e) {
    NumberFormat three = Sections.decimals(lang, 3);
    return switch (e.kind()) {
      case "none" -> lang.label("a.primary.nobacktest.yet", ModelNames.label(e.model(), lang));
      case "nofigures" -> lang.label("a.primary.nofigures", ModelNames.label(e.model(), lang), e.run(), e.vintage());
      default -> {
        StringBuilder t = new StringBuilder(lang.label("a.primary.chosen", Sections.format(three, e.auc()), e.recallK(),
            Sections.format(three, e.recall()), e.onsets(), e.rows(), e.run(), e.vintage()));
        t.append(' ').append(switch (e.why()) {
          case "beats" -> lang.label("a.primary.why.beats", ModelNames.label(e.challenger(), lang),
              ModelNames.label(e.incumbent(), lang), Sections.format(three, e.incumbentAuc()),
              Sections.format(three, e.incumbentRecall()), plain(e.margin()));
          case "none" -> lang.label("a.primary.why.none", ModelNames.label(e.incumbent(), lang), plain(e.margin()));
          case "best" -> lang.label("a.primary.why.best", e.candidates());
          default -> lang.label("a.primary.why.fixed");
        });
        if (!e.others().isEmpty()) {
          List<String> others = new ArrayList<>();
          for (PrimaryChoice.Other o : e.others()) {
            others.add(lang.label("a.primary.other", ModelNames.label(o.model(), lang), Sections.format(three, o.auc()),
                Sections.format(three, o.recall())));
          }
          t.append(' ').append(lang.label("a.primary.others", String.join(lang.label("list.separator"), others)));
        }
        yield t.toString();
      }
    };
  }

  /** Model labels joined as a list in this language. */
  private String models(List<String> ids) {
    return String.join(lang.label("list.comma"), ids.stream().map(id -> ModelNames.label(id, lang)).toList());
  }

  /** 0.01 as "0.01" ("0,01" in French): the setting's own digits, this language's decimal sign. */
  private String plain(Double d) {
    if (d == null) {
      return "–";
    }
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMaximumFractionDigits(6);
    return f.format(d);
  }

  /** The model's pooled annual back-test row on its own sample, if the back-test scored it. */
  private Optional<Map<String, Object>> pooledBacktest(String model) {
    Optional<Mart> metrics = s.marts.mart("backtest_metrics");
    if (metrics.isEmpty() || !metrics.get().columns().contains("model") || !metrics.get().columns().contains("auc")) {
      return Optional.empty();
    }
    boolean sampled = metrics.get().columns().contains("sample");
    return metrics.get().rows().stream()
        .filter(r -> model.equals(Mart.text(r, "model")) && "pooled".equals(Mart.text(r, "scope"))
            && (!sampled || Mart.text(r, "sample") == null || "own".equals(Mart.text(r, "sample"))))
        .min(java.util.Comparator.comparing(r -> "annual".equals(Mart.text(r, "protocol")) ? 0 : 1));
  }
}
