package org.ewarn.reports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Appendix D: the UN Framework's fourteen risk factors for each highest-risk country. */
final class RiskFactorsAppendix {
  static final List<String> FACTORS = List.of("RF1", "RF2", "RF3", "RF4", "RF5", "RF6", "RF7", "RF8",
      "RF9", "RF10", "RF11", "RF12", "RF13", "RF14");

  private final Sections s;
  private final Language lang;

  RiskFactorsAppendix(Sections s, Language lang) {
    this.s = s;
    this.lang = lang;
  }

  Sections.Filled fill() {
    List<Map<String, Object>> high = s.highRisk();
    Optional<String> missing = s.unusable("risk_factor_profiles", lang);
    if (missing.isPresent()) {
      return s.noData(Appendix.D, lang, missing.get());
    }
    if (high.isEmpty()) {
      return s.noData(Appendix.D, lang, lang.label("nodata.empty", "risk_forecasts", s.marts.edition));
    }
    Mart profiles = s.marts.mart("risk_factor_profiles").orElseThrow()
        .require("ccode", "factor", "status");
    Map<Integer, Map<String, String>> status = new HashMap<>();
    for (Map<String, Object> r : profiles.rows()) {
      status.computeIfAbsent(Mart.integer(r, "ccode"), k -> new HashMap<>())
          .put(Mart.text(r, "factor"), Mart.text(r, "status"));
    }
    List<Map<String, ?>> rows = new ArrayList<>();
    for (Map<String, Object> r : high) {
      Map<String, String> st = status.getOrDefault(Mart.integer(r, "ccode"), Map.of());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", Mart.integer(r, "rank"));
      row.put("country", s.countryName(r.get("ccode"), Mart.text(r, "country"), lang));
      for (int i = 0; i < FACTORS.size(); i++) {
        String v = st.getOrDefault(FACTORS.get(i), "not_assessed");
        row.put("s" + (i + 1), switch (v) {
          case "elevated" -> "●";
          case "not_elevated" -> "○";
          default -> "–";
        });
        row.put("c" + (i + 1), switch (v) {
          case "elevated" -> "#F4B183";
          case "not_elevated" -> "#FFFFFF";
          default -> "#E6E6E6";
        });
      }
      rows.add(row);
    }
    StringBuilder legend = new StringBuilder();
    for (String f : FACTORS) {
      // A tab stop aligns the names in left-to-right text; right to left it would scatter them.
      legend.append(f).append(lang.rightToLeft() ? " : " : "\t").append(lang.label("rf." + f)).append('\n');
    }
    List<String> vintages = s.vintages(Appendix.D);
    Map<String, Object> p = s.common(lang, vintages);
    p.put("FACTOR_LEGEND", legend.toString().strip());
    return new Sections.Filled(Appendix.D, p, rows, null, vintages);
  }
}
