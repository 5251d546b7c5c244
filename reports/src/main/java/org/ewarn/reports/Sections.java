package org.ewarn.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns marts into what each appendix template is filled with: parameters and rows for one
 * language. One builder per appendix ({@link RankingAppendix} … {@link DataMethodsAppendix}); this
 * class holds what they share: the reported model and horizon, country names, number formats and
 * the common page parameters. No layout here (that is the templates') and no files (the caller's).
 */
final class Sections {
  /** An appendix ready to fill; {@code noData} set means the template prints its no-data page. */
  record Filled(Appendix appendix, Map<String, Object> parameters, List<Map<String, ?>> rows,
      String noData, List<String> vintages) {}

  final Marts marts;
  final RenderConfig config;
  private final String model;
  private final Integer horizon;

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
            .map(r -> Mart.integer(r, "horizon")).filter(Objects::nonNull)
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

  String model() {
    return model;
  }

  Integer horizon() {
    return horizon;
  }

  Filled fill(Appendix appendix, Language lang) {
    return switch (appendix) {
      case A -> new RankingAppendix(this, lang).fill();
      case B -> new TrajectoriesAppendix(this, lang).fill();
      case C -> new WarningQualityAppendix(this, lang).fill();
      case D -> new RiskFactorsAppendix(this, lang).fill();
      case E -> new DataMethodsAppendix(this, lang).fill();
    };
  }

  // ---- shared by the builders ----

  Map<String, Object> common(Language lang, List<String> vintages) {
    Map<String, Object> p = new HashMap<>();
    p.put("STYLES", Templates.stylesLocation(lang.rightToLeft()));
    p.put("EDITION", marts.edition);
    p.put("SUBTITLE", lang.label("subtitle", marts.edition, ModelNames.label(model, lang)));
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

  Filled noData(Appendix appendix, Language lang, String reason) {
    List<String> vintages = vintages(appendix);
    Map<String, Object> p = common(lang, vintages);
    String message = lang.label("nodata", reason);
    p.put("NO_DATA", message);
    return new Filled(appendix, p, List.of(), message, vintages);
  }

  /** Reason the mart cannot be used, or empty if it has rows. */
  Optional<String> unusable(String dataset, Language lang) {
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

  synchronized Map<String, Object> countryRow(Object ccode) {
    if (countriesByCow == null) {
      countriesByCow = new HashMap<>();
      marts.mart("countries").ifPresent(m -> {
        if (m.columns().contains("cow_code")) {
          for (Map<String, Object> r : m.rows()) {
            Integer cow = Mart.integer(r, "cow_code");
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

  /** The reported model's rows at the reported horizon, by rank. */
  List<Map<String, Object>> forecastRows() {
    List<Map<String, Object>> rows = new ArrayList<>(marts.mart("risk_forecasts").orElseThrow()
        .where(r -> model.equals(Mart.text(r, "model"))
            && (horizon == null || horizon.equals(Mart.integer(r, "horizon")))).rows());
    rows.sort(Comparator.comparing((Map<String, Object> r) -> Mart.integer(r, "rank"),
        Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  List<Map<String, Object>> highRisk() {
    return forecastRows().stream().filter(r -> Mart.flag(r, "highest_risk")).toList();
  }

  static NumberFormat decimals(Language lang, int digits) {
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMinimumFractionDigits(digits);
    f.setMaximumFractionDigits(digits);
    return f;
  }

  static double percent(Map<String, Object> row, String column) {
    Double d = percentOrNull(row, column);
    return d == null ? Double.NaN : d;
  }

  /**
   * A probability as a percentage rounded half-up to two decimals from its shortest decimal form,
   * so 0.01575 prints as 1.58 (as readers of the published CSVs expect), not 1.57 from the
   * binary value 1.5749999….
   */
  static Double percentOrNull(Map<String, Object> row, String column) {
    Double d = Mart.number(row, column);
    return d == null ? null : BigDecimal.valueOf(d).movePointRight(2)
        .setScale(2, RoundingMode.HALF_UP).doubleValue() + 0.0;
  }

  static String format(NumberFormat f, Double d) {
    return d == null ? "–" : f.format(d);
  }

  /** "0.812 (0.770–0.850)"; the bare value when the interval columns are absent or null. */
  static String interval(NumberFormat f, Map<String, Object> r, String value, String lower, String upper) {
    Double v = Mart.number(r, value);
    Double lo = Mart.number(r, lower);
    Double hi = Mart.number(r, upper);
    if (v == null) {
      return "–";
    }
    return lo == null || hi == null ? f.format(v) : f.format(v) + " (" + f.format(lo) + "–" + f.format(hi) + ")";
  }

  /** Edition labels are years ("2023"); anything else is not plotted on a year axis. */
  static Integer editionNumber(String label) {
    if (label == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{4})").matcher(label);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  /**
   * "2026-11-26T14:00:15.702710749Z" as "2026-11-26 14:00Z": nanoseconds wrapped the column. A
   * manifest without a finish time shows nothing.
   */
  static String minute(String instant) {
    if (instant == null) {
      return "";
    }
    return instant.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*")
        ? instant.substring(0, 10) + " " + instant.substring(11, 16) + "Z"
        : instant;
  }
}
