package org.ewarn.reports;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Appendix B: the risk map and one risk-and-rank trajectory per highest-risk country. */
final class TrajectoriesAppendix {
  private final Sections s;
  private final Language lang;

  TrajectoriesAppendix(Sections s, Language lang) {
    this.s = s;
    this.lang = lang;
  }

  Sections.Filled fill() {
    List<Map<String, Object>> high = s.highRisk();
    if (high.isEmpty()) {
      return s.noData(Appendix.B, lang, lang.label("nodata.empty", "risk_forecasts", s.marts.edition));
    }
    Optional<String> missing = s.unusable("risk_trajectories", lang);
    if (missing.isPresent()) {
      return s.noData(Appendix.B, lang, missing.get());
    }
    Mart traj = s.marts.mart("risk_trajectories").orElseThrow()
        .require("model", "edition", "ccode", "risk", "rank");
    Map<Integer, List<Charts.EditionPoint>> byCountry = new HashMap<>();
    double riskMax = 0;
    int rankMax = s.config.topN();
    int first = Integer.MAX_VALUE;
    int last = Integer.MIN_VALUE;
    Set<Integer> wanted = new LinkedHashSet<>();
    high.forEach(r -> wanted.add(Mart.integer(r, "ccode")));
    Integer horizon = s.horizon();
    for (Map<String, Object> r : traj.rows()) {
      Integer ccode = Mart.integer(r, "ccode");
      Integer edition = Sections.editionNumber(Mart.text(r, "edition"));
      Integer rank = Mart.integer(r, "rank");
      Double risk = Mart.number(r, "risk");
      Integer h = Mart.integer(r, "horizon");
      if (!s.model().equals(Mart.text(r, "model")) || edition == null || rank == null || risk == null
          || (horizon != null && h != null && !horizon.equals(h))) {
        continue;
      }
      if (!wanted.contains(ccode)) {
        continue;
      }
      // the shared rank scale spans the plotted countries' ranks only: over all ~165 ranks the
      // top-30 band the reader looks at would be squeezed into the top sixth of each panel
      rankMax = Math.max(rankMax, rank);
      byCountry.computeIfAbsent(ccode, k -> new ArrayList<>())
          .add(new Charts.EditionPoint(edition, 100 * risk, rank));
      riskMax = Math.max(riskMax, 100 * risk);
      first = Math.min(first, edition);
      last = Math.max(last, edition);
    }
    if (byCountry.isEmpty()) {
      return s.noData(Appendix.B, lang, lang.label("nodata.empty", "risk_trajectories", traj.vintage()));
    }
    double scaleMax = Math.ceil(riskMax * 1.1);
    rankMax = Math.max(2 * s.config.topN(), 10 * (int) Math.ceil(rankMax / 10.0));
    NumberFormat pct = Sections.decimals(lang, 2);
    List<Map<String, ?>> rows = new ArrayList<>();
    for (Map<String, Object> r : high) {
      Integer ccode = Mart.integer(r, "ccode");
      List<Charts.EditionPoint> points = new ArrayList<>(byCountry.getOrDefault(ccode, List.of()));
      points.sort(Comparator.comparingInt(Charts.EditionPoint::edition));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("country", s.countryName(ccode, Mart.text(r, "country"), lang));
      row.put("detail", lang.label("b.rank", Mart.integer(r, "rank"), pct.format(Sections.percent(r, "risk"))));
      row.put("chart", Charts.trajectory(points, scaleMax, rankMax, first, last, s.config.topN()));
      rows.add(row);
    }
    Map<Integer, Double> riskByIso = new HashMap<>();
    for (Map<String, Object> r : s.forecastRows()) {
      Map<String, Object> c = s.countryRow(r.get("ccode"));
      Integer iso = c == null ? null : Mart.integer(c, "iso3n");
      if (iso != null) {
        riskByIso.put(iso, Sections.percent(r, "risk"));
      }
    }
    List<String> vintages = s.vintages(Appendix.B);
    Map<String, Object> p = s.common(lang, vintages);
    p.put("MAP", new WorldMap.Choropleth(riskByIso));
    p.put("MAP_TITLE", lang.label("b.map", s.marts.edition));
    p.put("MULTIPLES_LEGEND", lang.label("b.multiples.legend", s.config.topN()));
    return new Sections.Filled(Appendix.B, p, rows, null, vintages);
  }
}
