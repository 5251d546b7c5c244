package org.ewarn.reports;

import static org.ewarn.reports.ParquetFixture.Kind.BOOLEAN;
import static org.ewarn.reports.ParquetFixture.Kind.DOUBLE;
import static org.ewarn.reports.ParquetFixture.Kind.INT;
import static org.ewarn.reports.ParquetFixture.Kind.STRING;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Builds mart-shaped Parquet partitions from the bundled real Early Warning Project files, standing
 * in for the forecast and back-test stages (built in parallel). Everything the report shows is
 * derived here independently of the renderer: ranks from the published CSVs, back-test metrics
 * computed by brute force (AUC by counting pairs), names from the UN M49 crosswalk.
 */
final class MartFixtures {
  static final String EDITION = "2023";
  static final String MODEL = "elastic_net";
  static final String BACKTEST_MODEL = "ewp_backtest_2023";
  static final int TOP = 30;

  final Path data;
  /** ccode (COW) to the countries-mart row. */
  final Map<Integer, Map<String, Object>> countries = new TreeMap<>();
  final List<Map<String, Object>> forecasts = new ArrayList<>();
  final List<Map<String, Object>> trajectories = new ArrayList<>();
  final List<Map<String, Object>> profiles = new ArrayList<>();
  final List<Map<String, Object>> warnings = new ArrayList<>();
  final List<Map<String, Object>> metrics = new ArrayList<>();
  final List<Map<String, Object>> cases = new ArrayList<>();
  final List<Map<String, Object>> calibration = new ArrayList<>();
  final List<Map<String, Object>> monthlyMetrics = new ArrayList<>();
  /** ccode to {risk_lower, risk_upper} of the 2023 edition. */
  final Map<Integer, double[]> intervals = new HashMap<>();
  /** As org.ewarn.model.PrimaryModel writes them (margin rule, the default kept). */
  /** The interval method as the forecast stage of 5353ac6 wrote it into risk_forecasts' manifest. */
  static final String INTERVAL_METHOD = "percentile bootstrap over training countries: 200 replicates, each drawing"
      + " countries with replacement with all their country-years and refitting the elastic net at its cross-validated"
      + " lambda 0.002357; elastic_net, horizon 2 years only";
  static final String PRIMARY_RULE = "margin: elastic_net unless another of [elastic_net, random_forest, gbt, ensemble]"
      + " beats its pooled back-test AUC by at least 0.01 with a recall@30 at least as high (then the best such by AUC)";
  static final String PRIMARY_EVIDENCE = "elastic_net: pooled AUC 0.802, recall@30 0.583 (36 onsets in 6120 country-years);"
      + " no candidate beats elastic_net by 0.01 in AUC with no lower recall@30 (annual back-test run bt-run-7,"
      + " backtest_metrics vintage bt-2023, pooled, own sample); others: random_forest AUC 0.789 recall@30 0.556;"
      + " gbt AUC 0.781 recall@30 0.528; ensemble AUC 0.797 recall@30 0.583";
  /** Calibration bin edges of the fixture (the back-test's defaults are of the same kind). */
  static final double[] EDGES = {0, 0.01, 0.02, 0.05, 0.1, 1};

  MartFixtures() {
    this.data = dataDir();
  }

  static Path dataDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("jobs/data");
      if (Files.isDirectory(d.resolve("ewp"))) {
        return d;
      }
    }
    throw new IllegalStateException("jobs/data not found above " + Path.of("").toAbsolutePath());
  }

  static List<CSVRecord> csv(Path gz) {
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get().parse(r).getRecords();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Double num(CSVRecord r, String col) {
    String s = r.get(col);
    return s == null || s.isBlank() || s.equals("NA") ? null : Double.valueOf(s);
  }

  /** Publishes every mart the report reads into the warehouse. */
  MartFixtures publishAll(Path warehouse) {
    publishCountries(warehouse);
    publishRisk(warehouse);
    publishProfiles(warehouse);
    publishBacktest(warehouse);
    publishMonthly(warehouse);
    return this;
  }

  void publishCountries(Path warehouse) {
    Map<String, CSVRecord> m49 = new HashMap<>();
    for (CSVRecord r : csv(data.resolve("crosswalks/iso-m49-country-codes.csv.gz"))) {
      m49.put(r.get("ISO3166-1-Alpha-3"), r);
    }
    ParquetFixture f = new ParquetFixture().column("gw_code", INT).column("cow_code", INT)
        .column("iso3", STRING).column("iso3n", INT).column("country", STRING)
        .column("name_zh", STRING).column("name_fr", STRING).column("name_es", STRING)
        .column("name_ru", STRING).column("name_ar", STRING)
        .input(data.resolve("crosswalks/countrycode-slim.csv.gz"))
        .input(data.resolve("crosswalks/iso-m49-country-codes.csv.gz"));
    for (CSVRecord r : csv(data.resolve("crosswalks/countrycode-slim.csv.gz"))) {
      Double cow = num(r, "cown");
      // Several rows share a COW code (historical states); the one with an ISO code is today's.
      if (cow == null || (countries.containsKey(cow.intValue())
          && (countries.get(cow.intValue()).get("iso3") != null || r.get("iso3c").isBlank()))) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      Double gw = num(r, "gwn");
      Double iso3n = num(r, "iso3n");
      row.put("gw_code", gw == null ? null : gw.intValue());
      row.put("cow_code", cow.intValue());
      row.put("iso3", blankToNull(r.get("iso3c")));
      row.put("iso3n", iso3n == null ? null : iso3n.intValue());
      row.put("country", r.get("country.name.en"));
      CSVRecord un = m49.get(r.get("iso3c"));
      row.put("name_zh", blankToNull(un == null ? null : un.get("UNTERM Chinese Short")));
      row.put("name_fr", blankToNull(un == null ? null : un.get("UNTERM French Short")));
      row.put("name_es", blankToNull(un == null ? null : un.get("UNTERM Spanish Short")));
      row.put("name_ru", blankToNull(un == null ? null : un.get("UNTERM Russian Short")));
      row.put("name_ar", blankToNull(un == null ? null : un.get("UNTERM Arabic Short")));
      countries.put(cow.intValue(), row);
    }
    countries.values().forEach(f::row);
    f.publish(warehouse, "countries", "2025-01", "ingest", "2026-11-01T10:00:00Z");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private Map<String, Object> country(int ccode) {
    return countries.getOrDefault(ccode, Map.of());
  }

  private static ParquetFixture riskColumns() {
    return new ParquetFixture().column("model", STRING).column("edition", STRING)
        .column("country", STRING).column("ccode", INT).column("gw_code", INT).column("iso3", STRING)
        .column("year", INT).column("horizon", INT).column("risk", DOUBLE).column("rank", INT)
        .column("percentile", DOUBLE).column("risk_previous_edition", DOUBLE)
        .column("risk_change", DOUBLE).column("highest_risk", BOOLEAN)
        .column("risk_increased", BOOLEAN).column("consistently_high", BOOLEAN);
  }

  void publishRisk(Path warehouse) {
    Path f2023 = data.resolve("ewp/published-forecasts-2023.csv.gz");
    Path f2019 = data.resolve("ewp/published-forecasts-2019.csv.gz");
    List<CSVRecord> rows2023 = csv(f2023);
    // Edition 2019 (two-year risk from the 2019 assessment), ranked here by risk.
    List<CSVRecord> rows2019 = new ArrayList<>(csv(f2019));
    rows2019.sort(Comparator.comparing((CSVRecord r) -> -num(r, "risk_in_2019_20")));
    Map<Integer, Integer> rank2019 = new HashMap<>();
    ParquetFixture old = riskColumns().input(f2019);
    for (int i = 0; i < rows2019.size(); i++) {
      CSVRecord r = rows2019.get(i);
      int ccode = num(r, "COW").intValue();
      rank2019.put(ccode, i + 1);
      Map<String, Object> row = riskRow("2019", ccode, r.get("country"), 2018,
          num(r, "risk_in_2019_20"), i + 1, rows2019.size(), null, null, false);
      old.row(row);
      trajectories.add(row);
    }
    old.publish(warehouse, "risk_forecasts", "2019", "forecast", "2026-10-01T10:00:00Z");

    // Intervals are not in the EWP files: a fixed, visibly synthetic band (x0.6, x1.5) around each
    // risk, enough to check that the ranking prints what the mart holds.
    ParquetFixture now = riskColumns().column("risk_lower", DOUBLE).column("risk_upper", DOUBLE).input(f2023);
    int n = rows2023.size();
    for (CSVRecord r : rows2023) {
      int ccode = num(r, "ccode").intValue();
      double risk = num(r, "risk.2023and2024.from2022");
      int rank = num(r, "rank.2023and2024.from2022").intValue();
      Double prev = num(r, "risk.2022and2023.from2021");
      Integer prevRank = num(r, "rank.2022and2023.from2021") == null ? null
          : num(r, "rank.2022and2023.from2021").intValue();
      boolean consistently = rank <= TOP && prevRank != null && prevRank <= TOP
          && rank2019.getOrDefault(ccode, Integer.MAX_VALUE) <= TOP;
      Map<String, Object> row = riskRow(EDITION, ccode, r.get("country"), 2022, risk, rank, n, prev,
          prevRank, consistently);
      Map<String, Object> withInterval = new LinkedHashMap<>(row);
      withInterval.put("risk_lower", 0.6 * risk);
      withInterval.put("risk_upper", Math.min(1, 1.5 * risk));
      now.row(withInterval);
      intervals.put(ccode, new double[] {0.6 * risk, Math.min(1, 1.5 * risk)});
      forecasts.add(row);
      trajectories.add(row);
      if (prev != null) {
        trajectories.add(riskRow("2022", ccode, r.get("country"), 2021, prev, prevRank, n, null, null,
            false));
      }
    }
    now.property("model.elastic_net", "logistic regression (EWP 2023 specification), two-year onset risk")
        .property("citation.ewp", "Early Warning Project, United States Holocaust Memorial Museum, Statistical Risk Assessment 2023")
        .property("primary_model", MODEL)
        .property("primary_model.rule", PRIMARY_RULE)
        .property("primary_model.evidence", PRIMARY_EVIDENCE)
        .property("interval.level", "0.9")
        .property("interval.method", INTERVAL_METHOD)
        .publish(warehouse, "risk_forecasts", EDITION, "forecast", "2026-11-02T10:00:00Z");

    // As the forecast stage publishes it: one partition per edition.
    Map<String, ParquetFixture> byEdition = new TreeMap<>();
    for (Map<String, Object> row : trajectories) {
      byEdition.computeIfAbsent((String) row.get("edition"), e -> riskColumns().input(f2019).input(f2023)).row(row);
    }
    byEdition.forEach((edition, part) -> part.publish(warehouse, "risk_trajectories", edition, "forecast",
        "2026-11-02T10:00:0" + (edition.equals(EDITION) ? "9" : "1") + "Z"));
  }

  private Map<String, Object> riskRow(String edition, int ccode, String name, int year, double risk,
      int rank, int n, Double prev, Integer prevRank, boolean consistently) {
    Map<String, Object> c = country(ccode);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", MODEL);
    row.put("edition", edition);
    row.put("country", name);
    row.put("ccode", ccode);
    row.put("gw_code", c.get("gw_code"));
    row.put("iso3", c.get("iso3"));
    row.put("year", year);
    row.put("horizon", 2);
    row.put("risk", risk);
    row.put("rank", rank);
    row.put("percentile", 100.0 * (n - rank) / n);
    row.put("risk_previous_edition", prev);
    Double change = prev == null ? null : risk - prev;
    row.put("risk_change", change);
    row.put("highest_risk", rank <= TOP);
    row.put("risk_increased", change != null && change >= 0.01);
    row.put("consistently_high", consistently);
    return row;
  }

  static final String[][] FACTORS = {
      {"RF1", "Situations of armed conflict or other forms of instability"},
      {"RF2", "Record of serious violations of international human rights and humanitarian law"},
      {"RF3", "Weakness of State structures"},
      {"RF4", "Motives or incentives"},
      {"RF5", "Capacity to commit atrocity crimes"},
      {"RF6", "Absence of mitigating factors"},
      {"RF7", "Enabling circumstances or preparatory action"},
      {"RF8", "Triggering factors"},
      {"RF9", "Intergroup tensions or patterns of discrimination against protected groups"},
      {"RF10", "Signs of an intent to destroy in whole or in part a protected group"},
      {"RF11", "Signs of a widespread or systematic attack against any civilian population"},
      {"RF12", "Signs of a plan or policy to attack any civilian population"},
      {"RF13", "Serious threats to those protected under international humanitarian law"},
      {"RF14", "Serious threats to humanitarian or peacekeeping operations"}};

  /** Indicator rules over the 2023 predictors; factors without an indicator are not assessed. */
  static final Map<String, Function<CSVRecord, Boolean>> INDICATORS = Map.of(
      "RF1", r -> num(r, "battledeaths.ln2") > 0 || num(r, "includesnonstate") > 0,
      "RF2", r -> num(r, "mk_ever") > 0,
      "RF3", r -> num(r, "judicialreform") == 0,
      "RF4", r -> num(r, "minorityrule") > 0,
      "RF6", r -> num(r, "freediscussion") < 0.3,
      "RF7", r -> num(r, "coup.try.5yr") > 0 || num(r, "repress_civilsoc") > 0,
      "RF9", r -> num(r, "discrimpop") > 0.05 || num(r, "even_civilrights") == 0);

  static final Map<String, String> INDICATOR_NAMES = Map.of(
      "RF1", "battledeaths.ln2, includesnonstate", "RF2", "mk_ever", "RF3", "judicialreform",
      "RF4", "minorityrule", "RF6", "freediscussion", "RF7", "coup.try.5yr, repress_civilsoc",
      "RF9", "discrimpop, even_civilrights");

  void publishProfiles(Path warehouse) {
    Path f2023 = data.resolve("ewp/published-forecasts-2023.csv.gz");
    ParquetFixture f = new ParquetFixture().column("edition", STRING).column("ccode", INT)
        .column("country", STRING).column("factor", STRING).column("factor_name", STRING)
        .column("status", STRING).column("indicators", STRING).input(f2023);
    for (CSVRecord r : csv(f2023)) {
      for (String[] factor : FACTORS) {
        Function<CSVRecord, Boolean> rule = INDICATORS.get(factor[0]);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("edition", EDITION);
        row.put("ccode", num(r, "ccode").intValue());
        row.put("country", r.get("country"));
        row.put("factor", factor[0]);
        row.put("factor_name", factor[1]);
        row.put("status", rule == null ? "not_assessed" : rule.apply(r) ? "elevated" : "not_elevated");
        row.put("indicators", INDICATOR_NAMES.get(factor[0]));
        f.row(row);
        profiles.add(row);
      }
    }
    f.publish(warehouse, "risk_factor_profiles", EDITION, "forecast", "2026-11-02T10:00:02Z");
  }

  void publishBacktest(Path warehouse) {
    Path oos = data.resolve("ewp/out-of-sample-forecasts-2023.csv.gz");
    ParquetFixture w = new ParquetFixture().column("model", STRING).column("year", INT)
        .column("country", STRING).column("ccode", INT).column("mk_onset", INT)
        .column("risk_prev", DOUBLE).column("rank_prev", INT).column("risk_two_years_prior", DOUBLE)
        .column("rank_two_years_prior", INT).column("maxrisk2", DOUBLE).column("minrank2", INT)
        .input(oos);
    for (CSVRecord r : csv(oos)) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", BACKTEST_MODEL);
      row.put("year", num(r, "year").intValue());
      row.put("country", r.get("country"));
      row.put("ccode", num(r, "ccode").intValue());
      row.put("mk_onset", num(r, "mk_onset").intValue());
      row.put("risk_prev", num(r, "risk_prev"));
      row.put("rank_prev", intOrNull(num(r, "rank_prev")));
      row.put("risk_two_years_prior", num(r, "risk_two_years_prior"));
      row.put("rank_two_years_prior", intOrNull(num(r, "rank_two_years_prior")));
      row.put("maxrisk2", num(r, "maxrisk2"));
      row.put("minrank2", intOrNull(num(r, "minrank2")));
      w.row(row);
      warnings.add(row);
    }
    w.publish(warehouse, "backtest_warnings", "bt-2023", "backtest", "2026-11-03T10:00:00Z");

    ParquetFixture m = new ParquetFixture().column("model", STRING).column("protocol", STRING)
        .column("scope", STRING).column("auc", DOUBLE).column("aupr", DOUBLE).column("brier", DOUBLE)
        .column("log_loss", DOUBLE).column("recall_at_10", DOUBLE).column("recall_at_20", DOUBLE)
        .column("recall_at_30", DOUBLE).column("precision_at_30", DOUBLE)
        .column("auc_lower", DOUBLE).column("auc_upper", DOUBLE)
        .column("recall_at_30_lower", DOUBLE).column("recall_at_30_upper", DOUBLE)
        .column("onsets", INT).column("rows", INT).input(oos);
    metrics.add(scoreRow("lead_1", "risk_prev", "rank_prev"));
    metrics.add(scoreRow("lead_2", "risk_two_years_prior", "rank_two_years_prior"));
    // The ranked model's annual pooled figures: the same scores under its id (a stand-in; the
    // renderer only has to carry them), on its own sample, the long-running sources' common
    // sample and the common sample of every source.
    for (String sample : List.of("own", "common_long", "common")) {
      Map<String, Object> pooled = scoreRow("pooled", "risk_prev", "rank_prev");
      pooled.put("model", MODEL);
      pooled.put("protocol", "annual");
      pooled.put("sample", sample);
      pooled.put("brier_skill", sample.equals("own") ? 0.125 : sample.equals("common") ? 0.0631 : 0.0982);
      metrics.add(pooled);
    }
    m.column("sample", STRING).column("brier_skill", DOUBLE);
    metrics.forEach(m::row);
    m.property("protocol.external", "published out-of-sample forecasts scored against onsets 1994-2022; warnings are the top " + TOP + " ranks")
        .property("citation.ewp-oos", "Early Warning Project (2023) out-of-sample forecasts, EarlyWarningProject/2023-Statistical-Risk-Assessment")
        .publish(warehouse, "backtest_metrics", "bt-2023", "backtest", "2026-11-03T10:00:01Z");

    ParquetFixture c = new ParquetFixture().input(data.resolve("ewp/mass-killing-episodes-2025.csv.gz"))
        .column("model", STRING).column("country", STRING)
        .column("ccode", INT).column("onset_year", INT).column("episode_name", STRING)
        .column("rank_1_before", INT).column("rank_2_before", INT).column("risk_1_before", DOUBLE)
        .column("risk_2_before", DOUBLE).column("flagged_1_before", BOOLEAN)
        .column("flagged_2_before", BOOLEAN).column("lead_time", INT).column("first_crossing", INT)
        .column("chronic", BOOLEAN).column("missed", BOOLEAN).input(oos);
    Map<String, Integer> rankByCountryYear = new HashMap<>();
    for (Map<String, Object> row : warnings) {
      if (row.get("rank_prev") != null) {
        rankByCountryYear.put(row.get("ccode") + "/" + row.get("year"), (Integer) row.get("rank_prev"));
      }
    }
    Map<String, String> episodes = new HashMap<>();
    for (CSVRecord r : csv(data.resolve("ewp/mass-killing-episodes-2025.csv.gz"))) {
      Double cow = num(r, "mk_location_cow");
      Double start = num(r, "startyear");
      if (cow != null && start != null) {
        episodes.merge(cow.intValue() + "/" + start.intValue(), r.get("mk_event_name"), (a, b) -> a + "; " + b);
      }
    }
    Map<Integer, Integer> leadCounts = new TreeMap<>();
    for (Map<String, Object> row : warnings) {
      if ((Integer) row.get("mk_onset") != 1) {
        continue;
      }
      Integer r1 = (Integer) row.get("rank_prev");
      Integer r2 = (Integer) row.get("rank_two_years_prior");
      boolean f1 = r1 != null && r1 <= TOP;
      boolean f2 = r2 != null && r2 <= TOP;
      int year = (Integer) row.get("year");
      Integer lead = f2 ? Integer.valueOf(2) : f1 ? Integer.valueOf(1) : null;
      boolean chronic = true;
      for (int y = year - 4; y <= year; y++) {
        Integer r = rankByCountryYear.get(row.get("ccode") + "/" + y);
        chronic &= r != null && r <= TOP;
      }
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("model", BACKTEST_MODEL);
      k.put("country", row.get("country"));
      k.put("ccode", row.get("ccode"));
      k.put("onset_year", year);
      k.put("episode_name", episodes.get(row.get("ccode") + "/" + year));
      k.put("rank_1_before", r1);
      k.put("rank_2_before", r2);
      k.put("risk_1_before", row.get("risk_prev"));
      k.put("risk_2_before", row.get("risk_two_years_prior"));
      k.put("flagged_1_before", f1);
      k.put("flagged_2_before", f2);
      k.put("lead_time", lead);
      k.put("first_crossing", lead == null ? null : year - lead);
      k.put("chronic", chronic);
      k.put("missed", !f1 && !f2);
      c.row(k);
      cases.add(k);
      leadCounts.merge(lead == null ? 0 : lead, 1, Integer::sum);
    }
    c.publish(warehouse, "backtest_cases", "bt-2023", "backtest", "2026-11-03T10:00:02Z");

    ParquetFixture l = new ParquetFixture().column("model", STRING).column("lead_time", INT)
        .column("cases", INT);
    leadCounts.forEach((lead, count) -> l.row(Map.of("model", BACKTEST_MODEL, "lead_time", lead, "cases", count)));
    l.publish(warehouse, "backtest_lead_times", "bt-2023", "backtest", "2026-11-03T10:00:03Z");

    ParquetFixture cv = new ParquetFixture().column("model", STRING).column("curve", STRING)
        .column("x", DOUBLE).column("y", DOUBLE);
    curves("risk_prev").forEach(cv::row);
    cv.publish(warehouse, "backtest_curves", "bt-2023", "backtest", "2026-11-03T10:00:04Z");

    ParquetFixture cal = new ParquetFixture().column("model", STRING).column("protocol", STRING)
        .column("scope", STRING).column("sample", STRING).column("bin", INT).column("risk_low", DOUBLE)
        .column("risk_high", DOUBLE).column("forecasts", INT).column("mean_risk", DOUBLE)
        .column("onsets", INT).column("observed_rate", DOUBLE);
    for (int b = 0; b + 1 < EDGES.length; b++) {
      double lo = EDGES[b];
      double hi = EDGES[b + 1];
      List<double[]> in = scored("risk_prev").stream()
          .filter(x -> x[0] >= lo && (x[0] < hi || hi == 1)).toList();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", BACKTEST_MODEL);
      row.put("protocol", "external");
      row.put("scope", "pooled");
      row.put("sample", "own");
      row.put("bin", b + 1);
      row.put("risk_low", lo);
      row.put("risk_high", hi);
      row.put("forecasts", in.size());
      row.put("mean_risk", in.isEmpty() ? null : in.stream().mapToDouble(x -> x[0]).average().orElseThrow());
      long onsets = in.stream().filter(x -> x[1] == 1).count();
      row.put("onsets", (int) onsets);
      row.put("observed_rate", in.isEmpty() ? null : onsets / (double) in.size());
      cal.row(row);
      calibration.add(row);
    }
    cal.publish(warehouse, "backtest_calibration", "bt-2023", "backtest", "2026-11-03T10:00:05Z");
  }

  /**
   * A monthly scorecard in the back-test's shape: the annual scores relabelled by lead for a model
   * and the persistence baseline, enough to check the by-lead table carries every row.
   */
  void publishMonthly(Path warehouse) {
    ParquetFixture mm = new ParquetFixture().column("model", STRING).column("protocol", STRING)
        .column("scope", STRING).column("sample", STRING).column("auc", DOUBLE).column("aupr", DOUBLE)
        .column("brier", DOUBLE).column("brier_skill", DOUBLE).column("recall_at_30", DOUBLE)
        .column("recall_at_30_lower", DOUBLE).column("recall_at_30_upper", DOUBLE)
        .column("auc_lower", DOUBLE).column("auc_upper", DOUBLE).column("precision_at_30", DOUBLE)
        .column("false_alarms_per_hit_at_30", DOUBLE).column("onsets", INT).column("rows", INT);
    int i = 0;
    for (String model : List.of("elastic_net", "baseline_persistence")) {
      for (String scope : List.of("pooled", "lead_1", "lead_12")) {
        Map<String, Object> row = scoreRow(scope, i % 2 == 0 ? "risk_prev" : "risk_two_years_prior",
            i % 2 == 0 ? "rank_prev" : "rank_two_years_prior");
        row.put("model", model);
        row.put("protocol", "monthly");
        row.put("sample", "own");
        row.put("brier_skill", model.startsWith("baseline_") ? 0.0 : 0.05 * (i + 1));
        row.put("false_alarms_per_hit_at_30", 10.0 + i);
        mm.row(row);
        monthlyMetrics.add(row);
        i++;
      }
    }
    mm.publish(warehouse, "backtest_monthly_metrics", "bt-m-2023", "backtest", "2026-11-03T11:00:00Z");
    ParquetFixture mc = new ParquetFixture().column("model", STRING).column("protocol", STRING)
        .column("scope", STRING).column("sample", STRING).column("bin", INT).column("forecasts", INT)
        .column("mean_risk", DOUBLE).column("onsets", INT).column("observed_rate", DOUBLE);
    for (Map<String, Object> c : calibration) {
      Map<String, Object> row = new LinkedHashMap<>(c);
      row.put("model", "elastic_net");
      row.put("protocol", "monthly");
      mc.row(row);
    }
    mc.publish(warehouse, "backtest_monthly_calibration", "bt-m-2023", "backtest", "2026-11-03T11:00:01Z");
    new ParquetFixture().column("gw_code", INT).property("outcome.os_escalation_onset", OUTCOME)
        .property("coverage.ged_cm_views", COVERAGE)
        .publish(warehouse, "panel_country_month", "2026-11-01", "panel", "2026-11-01T09:00:00Z");
  }

  static final String OUTCOME = "first month with at least 25 one-sided deaths after at least 12 months below 25";
  static final String COVERAGE = "1989-01 to 2021-06, 191 countries";

  private static Integer intOrNull(Double d) {
    return d == null ? null : d.intValue();
  }

  private List<double[]> scored(String riskColumn) {
    List<double[]> out = new ArrayList<>();
    for (Map<String, Object> row : warnings) {
      Object risk = row.get(riskColumn);
      if (risk != null) {
        out.add(new double[] {(Double) risk, (Integer) row.get("mk_onset")});
      }
    }
    return out;
  }

  private Map<String, Object> scoreRow(String scope, String riskColumn, String rankColumn) {
    List<double[]> s = scored(riskColumn);
    long pos = s.stream().filter(x -> x[1] == 1).count();
    long neg = s.size() - pos;
    // AUC by brute force over all (onset, non-onset) pairs, ties count one half.
    double wins = 0;
    for (double[] p : s) {
      if (p[1] != 1) {
        continue;
      }
      for (double[] q : s) {
        if (q[1] == 0) {
          wins += p[0] > q[0] ? 1 : p[0] == q[0] ? 0.5 : 0;
        }
      }
    }
    double auc = wins / (pos * (double) neg);
    // Hanley & McNeil (1982) standard error for the interval.
    double q1 = auc / (2 - auc);
    double q2 = 2 * auc * auc / (1 + auc);
    double se = Math.sqrt((auc * (1 - auc) + (pos - 1) * (q1 - auc * auc) + (neg - 1) * (q2 - auc * auc)) / (pos * (double) neg));
    double brier = s.stream().mapToDouble(x -> (x[0] - x[1]) * (x[0] - x[1])).average().orElseThrow();
    double logLoss = -s.stream().mapToDouble(x -> x[1] == 1 ? Math.log(x[0]) : Math.log(1 - x[0])).average().orElseThrow();
    List<double[]> sorted = new ArrayList<>(s);
    sorted.sort(Comparator.comparingDouble((double[] x) -> -x[0]));
    double hits = 0;
    double ap = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i)[1] == 1) {
        hits++;
        ap += hits / (i + 1);
      }
    }
    Map<Integer, Long> onsetsWithin = new TreeMap<>();
    long flaggedRows = 0;
    long flaggedOnsets = 0;
    for (Map<String, Object> row : warnings) {
      Integer rank = (Integer) row.get(rankColumn);
      if (rank == null) {
        continue;
      }
      boolean onset = (Integer) row.get("mk_onset") == 1;
      for (int k : new int[] {10, 20, 30}) {
        if (onset && rank <= k) {
          onsetsWithin.merge(k, 1L, Long::sum);
        }
      }
      if (rank <= TOP) {
        flaggedRows++;
        flaggedOnsets += onset ? 1 : 0;
      }
    }
    double recall30 = onsetsWithin.getOrDefault(30, 0L) / (double) pos;
    double[] wilson = wilson(onsetsWithin.getOrDefault(30, 0L), pos);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", BACKTEST_MODEL);
    row.put("protocol", "external");
    row.put("scope", scope);
    row.put("auc", auc);
    row.put("aupr", ap / pos);
    row.put("brier", brier);
    row.put("log_loss", logLoss);
    row.put("recall_at_10", onsetsWithin.getOrDefault(10, 0L) / (double) pos);
    row.put("recall_at_20", onsetsWithin.getOrDefault(20, 0L) / (double) pos);
    row.put("recall_at_30", recall30);
    row.put("precision_at_30", flaggedOnsets / (double) flaggedRows);
    row.put("auc_lower", auc - 1.96 * se);
    row.put("auc_upper", Math.min(1, auc + 1.96 * se));
    row.put("recall_at_30_lower", wilson[0]);
    row.put("recall_at_30_upper", wilson[1]);
    row.put("onsets", (int) pos);
    row.put("rows", s.size());
    return row;
  }

  private static double[] wilson(long k, long n) {
    double z = 1.96;
    double p = k / (double) n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
    return new double[] {centre - half, centre + half};
  }

  private List<Map<String, Object>> curves(String riskColumn) {
    List<double[]> s = new ArrayList<>(scored(riskColumn));
    s.sort(Comparator.comparingDouble((double[] x) -> -x[0]));
    long pos = s.stream().filter(x -> x[1] == 1).count();
    long neg = s.size() - pos;
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(point("roc", 0, 0));
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i)[1] == 1) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfTie = i == s.size() - 1 || s.get(i + 1)[0] != s.get(i)[0];
      if (lastOfTie) {
        out.add(point("roc", fp / (double) neg, tp / (double) pos));
        out.add(point("pr", tp / (double) pos, tp / (double) (tp + fp)));
      }
    }
    return out;
  }

  private static Map<String, Object> point(String curve, double x, double y) {
    return Map.of("model", BACKTEST_MODEL, "curve", curve, "x", x, "y", y);
  }
}
