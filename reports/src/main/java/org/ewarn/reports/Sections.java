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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns marts into what each appendix template is filled with: parameters and rows for one
 * language. No layout here (that is the templates') and no files (that is the caller's).
 */
final class Sections {
  /** An appendix ready to fill; {@code noData} set means the template prints its no-data page. */
  record Filled(Appendix appendix, Map<String, Object> parameters, List<Map<String, ?>> rows,
      String noData, List<String> vintages) {}

  private final Marts marts;
  private final RenderConfig config;
  private final String model;

  Sections(Marts marts, RenderConfig config) {
    this.marts = marts;
    this.config = config;
    Mart forecasts = marts.mart("risk_forecasts").orElseThrow()
        .require("model", "country", "ccode", "risk", "rank", "risk_previous_edition", "risk_change",
            "highest_risk", "risk_increased", "consistently_high");
    TreeSet<String> models = new TreeSet<>();
    forecasts.rows().forEach(r -> models.add(Mart.text(r, "model")));
    if (!config.model().isEmpty() && !models.contains(config.model()) && !models.isEmpty()) {
      throw RenderFailure.config("reports.model '" + config.model() + "' is not in mart risk_forecasts (vintage="
          + forecasts.vintage() + "); it has " + models);
    }
    this.model = !config.model().isEmpty() ? config.model() : defaultModel(forecasts, models);
    // The forecast stage publishes the two-year (EWP headline) and the one-year models side by
    // side; the appendices report the longest horizon, as the trajectories do.
    this.horizon = forecasts.columns().contains("horizon")
        ? forecasts.rows().stream().filter(r -> model.equals(Mart.text(r, "model")))
            .map(r -> Mart.integer(r, "horizon")).filter(java.util.Objects::nonNull)
            .max(Comparator.naturalOrder()).orElse(null)
        : null;
  }

  /** The forecast's own primary model (manifest property), else elastic_net, else the first id. */
  private static String defaultModel(Mart forecasts, TreeSet<String> models) {
    String primary = forecasts.manifest() == null ? null : forecasts.manifest().properties().get("primary_model");
    if (primary != null && models.contains(primary)) {
      return primary;
    }
    return models.contains("elastic_net") ? "elastic_net" : models.isEmpty() ? "" : models.first();
  }

  private final Integer horizon;

  String model() {
    return model;
  }

  Filled fill(Appendix appendix, Language lang) {
    return switch (appendix) {
      case A -> ranking(lang);
      case B -> trajectories(lang);
      case C -> warningQuality(lang);
      case D -> riskFactors(lang);
      case E -> dataAndMethods(lang);
    };
  }

  // ---- shared ----

  private Map<String, Object> common(Appendix appendix, Language lang, List<String> vintages) {
    Map<String, Object> p = new HashMap<>();
    p.put("STYLES", Templates.stylesLocation(lang.rightToLeft()));
    p.put("EDITION", marts.edition);
    p.put("SUBTITLE", lang.label("subtitle", marts.edition, model));
    p.put("FOOTER", lang.label("footer", config.runId(), config.runDate().toString(), byVintage(vintages)));
    p.put("TOP", config.topN());
    return p;
  }

  /**
   * "a, b vintage; c vintage": each vintage once. The back-test marts share one long run label,
   * and repeating it per mart pushed the footer past its three lines.
   */
  static String byVintage(List<String> datasetVintages) {
    Map<String, List<String>> grouped = new LinkedHashMap<>();
    for (String dv : datasetVintages) {
      int space = dv.lastIndexOf(' ');
      grouped.computeIfAbsent(dv.substring(space + 1), k -> new ArrayList<>()).add(dv.substring(0, Math.max(space, 0)));
    }
    List<String> parts = new ArrayList<>();
    grouped.forEach((vintage, names) -> parts.add(String.join(", ", names) + " " + vintage));
    return String.join("; ", parts);
  }

  /** "dataset vintage" for every published mart the appendix read, for footers and metadata. */
  List<String> vintages(Appendix appendix) {
    List<String> out = new ArrayList<>();
    for (String d : appendix.datasets) {
      marts.mart(d).ifPresent(m -> out.add(d + " " + m.vintage()));
    }
    return out;
  }

  private Filled noData(Appendix appendix, Language lang, String reason) {
    List<String> vintages = vintages(appendix);
    Map<String, Object> p = common(appendix, lang, vintages);
    String message = lang.label("nodata", reason);
    p.put("NO_DATA", message);
    return new Filled(appendix, p, List.of(), message, vintages);
  }

  /** Reason the mart cannot be used, or empty if it has rows. */
  private Optional<String> unusable(String dataset, Language lang) {
    Optional<Mart> m = marts.mart(dataset);
    if (m.isEmpty()) {
      return Optional.of(lang.label("nodata.missing", dataset));
    }
    if (m.get().isEmpty()) {
      return Optional.of(lang.label("nodata.empty", dataset, m.get().vintage()));
    }
    return Optional.empty();
  }

  /**
   * Country name in the language from the countries mart, else its English name there, else the
   * name the mart itself carries.
   */
  String countryName(Object ccode, String fallback, Language lang) {
    Map<String, Object> c = countryRow(ccode);
    if (c != null) {
      String local = Mart.text(c, lang.nameColumn());
      if (local != null && !local.isBlank()) {
        return lang.withoutTrailingArticle(local.strip());
      }
      // No name in this language: the canonical English name rather than the source's spelling.
      String english = Mart.text(c, "country");
      if (english != null && !english.isBlank()) {
        return english;
      }
    }
    return fallback;
  }

  private Map<Integer, Map<String, Object>> countriesByCow;

  private synchronized Map<String, Object> countryRow(Object ccode) {
    if (countriesByCow == null) {
      countriesByCow = new HashMap<>();
      marts.mart("countries").ifPresent(m -> {
        String key = m.columns().contains("cow_code") ? "cow_code" : null;
        if (key != null) {
          for (Map<String, Object> r : m.rows()) {
            Integer cow = Mart.integer(r, key);
            if (cow != null) {
              countriesByCow.putIfAbsent(cow, r);
            }
          }
        }
      });
    }
    Integer code = ccode instanceof Number n ? Integer.valueOf(n.intValue()) : null;
    return code == null ? null : countriesByCow.get(code);
  }

  private List<Map<String, Object>> forecastRows() {
    List<Map<String, Object>> rows = new ArrayList<>(marts.mart("risk_forecasts").orElseThrow()
        .where(r -> model.equals(Mart.text(r, "model"))
            && (horizon == null || horizon.equals(Mart.integer(r, "horizon")))).rows());
    rows.sort(Comparator.comparing((Map<String, Object> r) -> Mart.integer(r, "rank"),
        Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  private List<Map<String, Object>> highRisk() {
    return forecastRows().stream().filter(r -> Mart.flag(r, "highest_risk")).toList();
  }

  private static NumberFormat decimals(Language lang, int digits) {
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMinimumFractionDigits(digits);
    f.setMaximumFractionDigits(digits);
    return f;
  }

  private static double percent(Map<String, Object> row, String column) {
    Double d = percentOrNull(row, column);
    return d == null ? Double.NaN : d;
  }

  /**
   * A probability as a percentage rounded half-up to two decimals from its shortest decimal form,
   * so 0.01575 prints as 1.58 (as readers of the published CSVs expect), not 1.57 from the
   * binary value 1.5749999….
   */
  private static Double percentOrNull(Map<String, Object> row, String column) {
    Double d = Mart.number(row, column);
    return d == null ? null : java.math.BigDecimal.valueOf(d).movePointRight(2)
        .setScale(2, java.math.RoundingMode.HALF_UP).doubleValue() + 0.0;
  }

  // ---- A ----

  private Filled ranking(Language lang) {
    List<Map<String, Object>> rows = forecastRows();
    if (rows.isEmpty()) {
      return noData(Appendix.A, lang, lang.label("nodata.empty", "risk_forecasts", marts.edition));
    }
    NumberFormat pct = decimals(lang, 2);
    List<Map<String, ?>> out = new ArrayList<>();
    List<String> highest = new ArrayList<>();
    List<String> increased = new ArrayList<>();
    List<String> consistent = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      String name = countryName(r.get("ccode"), Mart.text(r, "country"), lang);
      Integer rank = Mart.integer(r, "rank");
      double risk = percent(r, "risk");
      StringBuilder markers = new StringBuilder();
      if (Mart.flag(r, "highest_risk")) {
        markers.append('●');
        highest.add(rank + ". " + name + " (" + pct.format(risk) + "%)");
      }
      if (Mart.flag(r, "risk_increased")) {
        markers.append('▲');
        Double change = percentOrNull(r, "risk_change");
        increased.add(name + (change == null ? "" : " (+" + pct.format(change) + " pp)"));
      }
      if (Mart.flag(r, "consistently_high")) {
        markers.append('■');
        consistent.add(name);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", rank);
      row.put("country", name);
      row.put("risk", risk);
      row.put("previous", percentOrNull(r, "risk_previous_edition"));
      row.put("change", percentOrNull(r, "risk_change"));
      row.put("markers", markers.toString());
      out.add(row);
    }
    List<String> vintages = vintages(Appendix.A);
    Map<String, Object> p = common(Appendix.A, lang, vintages);
    String none = lang.label("a.group.none");
    p.put("HIGHEST_LIST", highest.isEmpty() ? none : String.join("\n", highest));
    p.put("INCREASED_LIST", increased.isEmpty() ? none : String.join("\n", increased));
    p.put("CONSISTENT_LIST", consistent.isEmpty() ? none : String.join("\n", consistent));
    p.put("INTRO", lang.label("a.intro", config.topN()));
    return new Filled(Appendix.A, p, out, null, vintages);
  }

  // ---- B ----

  private Filled trajectories(Language lang) {
    List<Map<String, Object>> high = highRisk();
    if (high.isEmpty()) {
      return noData(Appendix.B, lang, lang.label("nodata.empty", "risk_forecasts", marts.edition));
    }
    Optional<String> missing = unusable("risk_trajectories", lang);
    if (missing.isPresent()) {
      return noData(Appendix.B, lang, missing.get());
    }
    Mart traj = marts.mart("risk_trajectories").orElseThrow()
        .require("model", "edition", "ccode", "risk", "rank");
    Map<Integer, List<Charts.EditionPoint>> byCountry = new HashMap<>();
    double riskMax = 0;
    int rankMax = config.topN();
    int first = Integer.MAX_VALUE;
    int last = Integer.MIN_VALUE;
    Set<Integer> wanted = new LinkedHashSet<>();
    high.forEach(r -> wanted.add(Mart.integer(r, "ccode")));
    for (Map<String, Object> r : traj.rows()) {
      Integer ccode = Mart.integer(r, "ccode");
      Integer edition = editionNumber(Mart.text(r, "edition"));
      Integer rank = Mart.integer(r, "rank");
      Double risk = Mart.number(r, "risk");
      Integer h = Mart.integer(r, "horizon");
      if (!model.equals(Mart.text(r, "model")) || edition == null || rank == null || risk == null
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
      return noData(Appendix.B, lang, lang.label("nodata.empty", "risk_trajectories", traj.vintage()));
    }
    double scaleMax = Math.ceil(riskMax * 1.1);
    rankMax = Math.max(2 * config.topN(), 10 * (int) Math.ceil(rankMax / 10.0));
    NumberFormat pct = decimals(lang, 2);
    List<Map<String, ?>> rows = new ArrayList<>();
    for (Map<String, Object> r : high) {
      Integer ccode = Mart.integer(r, "ccode");
      List<Charts.EditionPoint> points = new ArrayList<>(byCountry.getOrDefault(ccode, List.of()));
      points.sort(Comparator.comparingInt(Charts.EditionPoint::edition));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("country", countryName(ccode, Mart.text(r, "country"), lang));
      row.put("detail", lang.label("b.rank", Mart.integer(r, "rank"), pct.format(percent(r, "risk"))));
      row.put("chart", Charts.trajectory(points, scaleMax, rankMax, first, last, config.topN()));
      rows.add(row);
    }
    Map<Integer, Double> riskByIso = new HashMap<>();
    for (Map<String, Object> r : forecastRows()) {
      Map<String, Object> c = countryRow(r.get("ccode"));
      Integer iso = c == null ? null : Mart.integer(c, "iso3n");
      if (iso != null) {
        riskByIso.put(iso, percent(r, "risk"));
      }
    }
    List<String> vintages = vintages(Appendix.B);
    Map<String, Object> p = common(Appendix.B, lang, vintages);
    p.put("MAP", new WorldMap.Choropleth(riskByIso));
    p.put("MAP_TITLE", lang.label("b.map", marts.edition));
    p.put("MULTIPLES_LEGEND", lang.label("b.multiples.legend", config.topN()));
    return new Filled(Appendix.B, p, rows, null, vintages);
  }

  /** Edition labels are years ("2023"); anything else is not plotted on a year axis. */
  static Integer editionNumber(String label) {
    if (label == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{4})").matcher(label);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  // ---- C ----

  private Filled warningQuality(Language lang) {
    Optional<String> missing = unusable("backtest_metrics", lang);
    if (missing.isPresent()) {
      return noData(Appendix.C, lang, missing.get());
    }
    Mart metrics = marts.mart("backtest_metrics").orElseThrow()
        .require("model", "protocol", "scope", "auc", "aupr", "brier", "recall_at_30",
            "precision_at_30", "auc_lower", "auc_upper", "recall_at_30_lower", "recall_at_30_upper", "onsets");
    NumberFormat three = decimals(lang, 3);
    NumberFormat two = decimals(lang, 2);
    List<Map<String, Object>> sortedMetrics = new ArrayList<>(metrics.rows());
    sortedMetrics.sort(Comparator.comparing((Map<String, Object> r) -> Mart.text(r, "model"))
        .thenComparing(r -> Mart.text(r, "protocol"))
        // the pooled figure is the headline; per-year (or per-lead) rows follow in order
        .thenComparing(r -> !"pooled".equals(Mart.text(r, "scope")))
        .thenComparing(r -> Mart.text(r, "scope")));
    List<Map<String, ?>> scorecard = new ArrayList<>();
    for (Map<String, Object> r : sortedMetrics) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", Mart.text(r, "model"));
      row.put("protocol", Mart.text(r, "protocol"));
      row.put("scope", Mart.text(r, "scope"));
      row.put("auc", interval(three, r, "auc", "auc_lower", "auc_upper"));
      row.put("aupr", format(three, Mart.number(r, "aupr")));
      row.put("brier", format(three, Mart.number(r, "brier")));
      row.put("recall", interval(two, r, "recall_at_30", "recall_at_30_lower", "recall_at_30_upper"));
      row.put("precision", format(two, Mart.number(r, "precision_at_30")));
      row.put("onsets", Mart.integer(r, "onsets") == null ? "" : String.valueOf(Mart.integer(r, "onsets")));
      scorecard.add(row);
    }

    List<Map<String, ?>> caseRows = new ArrayList<>();
    List<double[]> catchPoints = new ArrayList<>();
    String caseModel = null;
    int rankMax = config.topN() * 4;
    Optional<Mart> cases = marts.mart("backtest_cases");
    if (cases.isPresent() && !cases.get().isEmpty()) {
      Mart c = cases.get().require("model", "country", "ccode", "onset_year", "rank_1_before",
          "rank_2_before", "lead_time", "chronic", "missed");
      caseModel = primaryModel(c);
      String chosen = caseModel;
      List<Map<String, Object>> sorted = new ArrayList<>(c.where(r -> chosen.equals(Mart.text(r, "model"))).rows());
      sorted.sort(Comparator.comparing((Map<String, Object> r) -> Mart.integer(r, "onset_year"))
          .thenComparing(r -> Mart.text(r, "country")));
      for (Map<String, Object> r : sorted) {
        Integer r1 = Mart.integer(r, "rank_1_before");
        Integer r2 = Mart.integer(r, "rank_2_before");
        Integer lead = Mart.integer(r, "lead_time");
        String status = Mart.flag(r, "missed") ? lang.label("status.missed")
            : Mart.flag(r, "chronic") ? lang.label("status.chronic") : lang.label("status.flagged");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("country", countryName(r.get("ccode"), Mart.text(r, "country"), lang));
        row.put("onset", Mart.integer(r, "onset_year"));
        row.put("episode", c.columns().contains("episode_name") && Mart.text(r, "episode_name") != null
            ? Mart.text(r, "episode_name") : "");
        row.put("rank1", r1 == null ? "–" : r1.toString());
        row.put("rank2", r2 == null ? "–" : r2.toString());
        row.put("lead", lead == null ? "–" : lead.toString());
        row.put("status", status);
        row.put("missed", Mart.flag(r, "missed"));
        caseRows.add(row);
        if (r1 != null) {
          catchPoints.add(new double[] {Mart.integer(r, "onset_year"), r1});
          rankMax = Math.max(rankMax, r1);
        }
      }
    }
    Map<String, List<double[]>> roc = new TreeMap<>();
    Map<String, List<double[]>> pr = new TreeMap<>();
    marts.mart("backtest_curves").ifPresent(m -> {
      m.require("model", "curve", "x", "y");
      for (Map<String, Object> r : m.rows()) {
        double[] xy = {Mart.number(r, "x"), Mart.number(r, "y")};
        String curve = Mart.text(r, "curve");
        if ("roc".equals(curve)) {
          roc.computeIfAbsent(Mart.text(r, "model"), k -> new ArrayList<>()).add(xy);
        } else if ("pr".equals(curve)) {
          pr.computeIfAbsent(Mart.text(r, "model"), k -> new ArrayList<>()).add(xy);
        }
      }
    });
    Map<Integer, Integer> leads = new TreeMap<>();
    String leadModel = caseModel;
    marts.mart("backtest_lead_times").ifPresent(m -> {
      m.require("model", "lead_time", "cases");
      for (Map<String, Object> r : m.rows()) {
        if (leadModel == null || leadModel.equals(Mart.text(r, "model"))) {
          Integer lead = Mart.integer(r, "lead_time");
          leads.merge(lead == null ? 0 : lead, Mart.integer(r, "cases"), Integer::sum);
        }
      }
    });

    List<String> vintages = vintages(Appendix.C);
    Map<String, Object> p = common(Appendix.C, lang, vintages);
    p.put("SCORECARD", new net.sf.jasperreports.engine.data.JRMapCollectionDataSource(scorecard));
    p.put("CATCH_PLOT", Charts.catchPlot(catchPoints, rankMax, config.topN()));
    p.put("ROC", Charts.curves(roc, true));
    p.put("PR", Charts.curves(pr, false));
    p.put("LEAD_TIMES", Charts.leadTimes(leads));
    p.put("CATCH_NOTE", lang.label("c.catch.note", config.topN()));
    p.put("CASES_TITLE", lang.label("c.cases", caseModel == null ? "–" : caseModel));
    if (caseRows.isEmpty()) {
      // One blank row (its bands do not print) so the scorecard still prints: with no rows at
      // all the template would print its "no data" page instead.
      Map<String, Object> blank = new HashMap<>();
      blank.put("country", null);
      caseRows.add(blank);
    }
    return new Filled(Appendix.C, p, caseRows, null, vintages);
  }

  /** The configured model if the back-test has it, else the one with most cases (ties by name). */
  private String primaryModel(Mart cases) {
    Map<String, Integer> counts = new TreeMap<>();
    cases.rows().forEach(r -> counts.merge(Mart.text(r, "model"), 1, Integer::sum));
    if (counts.containsKey(model)) {
      return model;
    }
    return counts.entrySet().stream()
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .orElseThrow().getKey();
  }

  private static String format(NumberFormat f, Double d) {
    return d == null ? "–" : f.format(d);
  }

  private static String interval(NumberFormat f, Map<String, Object> r, String value, String lower, String upper) {
    Double v = Mart.number(r, value);
    Double lo = Mart.number(r, lower);
    Double hi = Mart.number(r, upper);
    if (v == null) {
      return "–";
    }
    return lo == null || hi == null ? f.format(v) : f.format(v) + " (" + f.format(lo) + "–" + f.format(hi) + ")";
  }

  // ---- D ----

  static final List<String> FACTORS = List.of("RF1", "RF2", "RF3", "RF4", "RF5", "RF6", "RF7", "RF8",
      "RF9", "RF10", "RF11", "RF12", "RF13", "RF14");

  private Filled riskFactors(Language lang) {
    List<Map<String, Object>> high = highRisk();
    Optional<String> missing = unusable("risk_factor_profiles", lang);
    if (missing.isPresent()) {
      return noData(Appendix.D, lang, missing.get());
    }
    if (high.isEmpty()) {
      return noData(Appendix.D, lang, lang.label("nodata.empty", "risk_forecasts", marts.edition));
    }
    Mart profiles = marts.mart("risk_factor_profiles").orElseThrow()
        .require("ccode", "factor", "status");
    Map<Integer, Map<String, String>> status = new HashMap<>();
    for (Map<String, Object> r : profiles.rows()) {
      status.computeIfAbsent(Mart.integer(r, "ccode"), k -> new HashMap<>())
          .put(Mart.text(r, "factor"), Mart.text(r, "status"));
    }
    List<Map<String, ?>> rows = new ArrayList<>();
    for (Map<String, Object> r : high) {
      Map<String, String> s = status.getOrDefault(Mart.integer(r, "ccode"), Map.of());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", Mart.integer(r, "rank"));
      row.put("country", countryName(r.get("ccode"), Mart.text(r, "country"), lang));
      for (int i = 0; i < FACTORS.size(); i++) {
        String st = s.getOrDefault(FACTORS.get(i), "not_assessed");
        row.put("s" + (i + 1), switch (st) {
          case "elevated" -> "●";
          case "not_elevated" -> "○";
          default -> "–";
        });
        row.put("c" + (i + 1), switch (st) {
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
    List<String> vintages = vintages(Appendix.D);
    Map<String, Object> p = common(Appendix.D, lang, vintages);
    p.put("FACTOR_LEGEND", legend.toString().strip());
    return new Filled(Appendix.D, p, rows, null, vintages);
  }

  // ---- E ----

  private Filled dataAndMethods(Language lang) {
    List<PartitionManifest> manifests = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String d : Appendix.E.datasets) {
      marts.mart(d).ifPresent(m -> addWithUpstream(m.manifest(), d, m.vintage(), manifests, seen));
    }
    List<Map<String, ?>> rows = new ArrayList<>();
    Map<String, String> sources = new TreeMap<>();
    Map<String, String> models = new TreeMap<>();
    Map<String, String> protocol = new TreeMap<>();
    Map<String, String> citations = new TreeMap<>();
    for (PartitionManifest m : manifests) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dataset", m.dataset());
      row.put("vintage", m.vintage());
      row.put("stage", m.stage());
      row.put("run_id", m.runId());
      row.put("code_version", shortVersion(m.codeVersion()));
      row.put("finished", minute(m.finished()));
      Long count = m.counts().getOrDefault("rows", m.counts().values().stream().findFirst().orElse(null));
      row.put("rows", count == null ? "" : count.toString());
      rows.add(row);
      for (PartitionManifest.Input in : m.inputs()) {
        String name = java.nio.file.Path.of(in.path()).getFileName().toString();
        sources.putIfAbsent(name, name + " — " + in.bytes() + " bytes — sha256 "
            + (in.sha256() == null ? "–" : in.sha256().substring(0, Math.min(16, in.sha256().length()))));
      }
      m.properties().forEach((k, v) -> {
        if (k.startsWith("model.")) {
          models.put(k.substring(6), v);
        } else if (k.startsWith("protocol.")) {
          protocol.put(k.substring(9), v);
        } else if (k.startsWith("citation.")) {
          citations.put(k.substring(9), v);
        }
      });
    }
    List<String> vintages = vintages(Appendix.E);
    Map<String, Object> p = common(Appendix.E, lang, vintages);
    String none = lang.label("e.none");
    p.put("RUN_TEXT", lang.label("e.run.text", config.runId(), config.runDate().toString(),
        config.codeVersion(), marts.edition));
    p.put("SOURCES", sources.isEmpty() ? none : String.join("\n", sources.values()));
    p.put("MODELS", lines(models, none));
    p.put("PROTOCOL", lines(protocol, none));
    p.put("CITATIONS", citations.isEmpty() ? none : String.join("\n", citations.values()));
    return new Filled(Appendix.E, p, rows, null, vintages);
  }

  /** "2026-11-26T14:00:15.702710749Z" as "2026-11-26 14:00Z": nanoseconds wrapped the column. */
  static String minute(String instant) {
    return instant != null && instant.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*")
        ? instant.substring(0, 10) + " " + instant.substring(11, 16) + "Z"
        : instant;
  }

  private static String shortVersion(String v) {
    return v == null ? "" : v.length() > 14 && v.matches("[0-9a-f]{40}.*") ? v.substring(0, 12) + v.substring(40) : v;
  }

  private static String lines(Map<String, String> entries, String none) {
    if (entries.isEmpty()) {
      return none;
    }
    StringBuilder b = new StringBuilder();
    entries.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
    return b.toString().strip();
  }

  /** Follows manifests' upstream entries ("dataset/vintage=label" or "dataset@label"). */
  private void addWithUpstream(PartitionManifest m, String dataset, String vintage,
      List<PartitionManifest> out, Set<String> seen) {
    if (!seen.add(dataset + "@" + vintage)) {
      return;
    }
    out.add(m);
    for (String up : m.upstream()) {
      String[] parts = up.contains("/vintage=") ? up.split("/vintage=", 2)
          : up.contains("@") ? up.split("@", 2) : new String[] {up};
      Optional<PartitionManifest> upstream = parts.length == 2
          ? marts.reader.manifest(parts[0], parts[1])
          : marts.reader.manifests(parts[0]).stream().reduce((a, b) -> b);
      upstream.ifPresent(u -> addWithUpstream(u, parts[0], u.vintage(), out, seen));
    }
  }
}
