package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.ewarn.run.StageFailure;
import org.ewarn.ingest.Countries;

/**
 * Scores a forecast published by someone else with the same metrics and timeliness analysis as
 * our own back-tests. A row of the file is a warning for one country and target year; it counts
 * as made the year before (so "flagged one year before" an onset in Y is the row for Y).
 */
public final class ExternalForecasts {
  private ExternalForecasts() {}

  /**
   * How to read the file (normalised column names). {@code codeSystem} is a {@code country_codes}
   * system ({@code cow}, {@code pitf}, {@code iso3}, {@code gw}) or {@code name}; {@code nameColumn}
   * is tried when the code does not match; {@code rankColumn} may be null (ranks are then computed
   * per year, ties taking the lowest rank).
   */
  public record Mapping(String codeColumn, String codeSystem, String nameColumn, String yearColumn,
      String riskColumn, String rankColumn, String madeRiskColumn, String madeRankColumn, String preset) {}

  /** Known layouts: EWP back-test files (maxrisk2/minrank2 by COW code) and the 2014–15 ex-ante history. */
  public static Mapping detect(List<String> columns) {
    if (columns.containsAll(List.of("ccode", "year", "maxrisk2", "minrank2"))) {
      // EWP fully out-of-sample back-test: each row is already the warning for `year`; its
      // risk_prev/rank_prev are the forecast made in year − 1, which the timeliness analysis uses
      return new Mapping("ccode", "cow", columns.contains("country") ? "country" : null, "year", "maxrisk2",
          "minrank2", "risk_prev", "rank_prev", "ewp-backtest");
    }
    if (columns.containsAll(List.of("sftgcode", "forecast_year", "mean_p"))) {
      // PITF/SFTG country codes; mean.p is the published ensemble risk for forecast.year
      return new Mapping("sftgcode", "pitf", columns.contains("country") ? "country" : null, "forecast_year",
          "mean_p", null, null, null, "ewp-ex-ante");
    }
    return null;
  }

  /**
   * A harmonised row: COW code, target year, risk, rank (0 = none given) and the forecast made the
   * year before (NaN/0 when the file has no separate columns for it: then risk and rank serve).
   */
  public record Matched(int ccode, String country, int year, double risk, int rank, double madeRisk, int madeRank) {
    Matched(int ccode, String country, int year, double risk, int rank) {
      this(ccode, country, year, risk, rank, Double.NaN, 0);
    }
  }

  public record Unmatched(String code, String country, String year, String reason) {}

  public record Harmonised(List<Matched> rows, List<Unmatched> unmatched) {}

  /**
   * Reads the mapped columns and finds each row's COW code: directly for {@code cow} codes, else
   * through {@code country_codes} (system and code), then by country name. Rows with no risk or
   * year, or whose country cannot be matched, are returned as unmatched with the reason.
   *
   * @param countryCodes the {@code country_codes} dataset, or null (then only COW codes match)
   */
  public static Harmonised harmonise(Dataset<Row> file, Mapping m, Dataset<Row> countryCodes) {
    Map<String, Integer> byCode = new HashMap<>();
    Map<String, Integer> byName = new HashMap<>();
    if (countryCodes != null) {
      for (Row r : countryCodes.select(functions.col("system").cast("string"), functions.col("code").cast("string"),
          functions.col("cow_code").cast("int")).na().drop().collectAsList()) {
        String system = r.getString(0);
        if (system.equalsIgnoreCase(m.codeSystem())) {
          byCode.putIfAbsent(r.getString(1).toUpperCase(Locale.ROOT), r.getInt(2));
        }
        if (system.equalsIgnoreCase("name")) {
          byName.putIfAbsent(nameKey(r.getString(1)), r.getInt(2));
        }
      }
    }
    List<Column> cols = new ArrayList<>();
    cols.add(m.codeColumn() == null ? functions.lit(null).cast("string") : functions.col(m.codeColumn()).cast("string"));
    cols.add(m.nameColumn() == null ? functions.lit(null).cast("string") : functions.col(m.nameColumn()).cast("string"));
    cols.add(functions.col(m.yearColumn()).cast("string"));
    cols.add(functions.col(m.riskColumn()).cast("double"));
    cols.add(m.rankColumn() == null ? functions.lit(null).cast("int") : functions.col(m.rankColumn()).cast("int"));
    cols.add(m.madeRiskColumn() == null ? functions.lit(null).cast("double")
        : functions.col(m.madeRiskColumn()).cast("double"));
    cols.add(m.madeRankColumn() == null ? functions.lit(null).cast("int") : functions.col(m.madeRankColumn()).cast("int"));
    List<Matched> matched = new ArrayList<>();
    List<Unmatched> unmatched = new ArrayList<>();
    List<String> outOfRange = new ArrayList<>();
    for (Row r : file.select(cols.toArray(Column[]::new)).collectAsList()) {
      String code = r.isNullAt(0) ? null : r.getString(0).trim();
      String name = r.isNullAt(1) ? null : r.getString(1);
      String year = r.isNullAt(2) ? null : r.getString(2);
      if (year == null || !year.trim().matches("\\d{4}(\\.0+)?")) {
        unmatched.add(new Unmatched(code, name, year, "no_year"));
        continue;
      }
      if (r.isNullAt(3) || Double.isNaN(r.getDouble(3))) {
        unmatched.add(new Unmatched(code, name, year, "no_risk"));
        continue;
      }
      Integer ccode = null;
      if (code != null && m.codeSystem().equalsIgnoreCase("cow") && code.matches("\\d+(\\.0+)?")) {
        ccode = (int) Double.parseDouble(code);
      } else if (code != null) {
        ccode = byCode.get(code.toUpperCase(Locale.ROOT));
      }
      if (ccode == null && name != null) {
        ccode = byName.get(nameKey(name));
      }
      if (ccode == null) {
        unmatched.add(new Unmatched(code, name, year, "unknown_country"));
        continue;
      }
      double risk = r.getDouble(3);
      double madeRisk = r.isNullAt(5) ? Double.NaN : r.getDouble(5);
      if (risk < 0 || risk > 1 || madeRisk < 0 || madeRisk > 1) {
        outOfRange.add((code != null ? code : name) + " " + year.trim() + ": " + risk
            + (Double.isNaN(madeRisk) ? "" : " / " + madeRisk));
        continue;
      }
      matched.add(new Matched(ccode, name, (int) Double.parseDouble(year.trim()), risk,
          r.isNullAt(4) ? 0 : r.getInt(4), madeRisk, r.isNullAt(6) ? 0 : r.getInt(6)));
    }
    if (!outOfRange.isEmpty()) {
      // a percentage or a score is not a probability: every metric of the file would be wrong
      throw StageFailure.config(outOfRange.size() + " row(s) have a risk outside [0, 1] in column "
          + m.riskColumn() + (m.madeRiskColumn() == null ? "" : " or " + m.madeRiskColumn())
          + " (risks are probabilities; scale percentages to 0-1), e.g. " + outOfRange.subList(0, Math.min(5, outOfRange.size())));
    }
    List<String> conflicting = new ArrayList<>();
    Map<Long, Matched> seen = new HashMap<>();
    for (Matched x : matched) {
      Matched before = seen.putIfAbsent(AnnualProtocol.key(x.year(), x.ccode()), x);
      if (before != null && before.risk() != x.risk()) {
        conflicting.add("ccode " + x.ccode() + " " + x.year() + ": " + before.risk() + " and " + x.risk());
      }
    }
    if (!conflicting.isEmpty()) {
      throw StageFailure.config(conflicting.size() + " country-year(s) appear more than once with different risks"
          + " (one forecast per country and target year is scored; which one is meant?), e.g. "
          + conflicting.subList(0, Math.min(5, conflicting.size())));
    }
    return new Harmonised(matched, unmatched);
  }

  /** The crosswalk's name key (the same function ingest builds {@code country_codes} with). */
  static String nameKey(String name) {
    return Countries.nameKey(name);
  }

  /** Outcome by (year, ccode) from a dataset with year, ccode and the onset column. */
  public static Map<Long, Integer> outcomes(Dataset<Row> rows, String onset) {
    Map<Long, Integer> out = new HashMap<>();
    for (Row r : rows.select(functions.col("year").cast("int"), functions.col("ccode").cast("int"),
        functions.col(onset).cast("int")).na().drop().collectAsList()) {
      out.put(AnnualProtocol.key(r.getInt(0), r.getInt(1)), r.getInt(2));
    }
    return out;
  }

  public record Result(Table metrics, Table cases, Table leadTimes, Table curves, Map<String, Long> counts) {
    public List<Table> tables() {
      return List.of(metrics, cases, leadTimes, curves);
    }
  }

  /**
   * One external source made comparable with our own back-tests: its scored warnings (unit =
   * ccode, period = group = target year, as {@link MetricsTable#fromWarnings}), the forecasts it
   * made (by the year they count as made) for the timeliness analysis, and its onsets.
   */
  public record Prepared(String source, List<MetricsTable.Scored> scored, List<Forecast> made,
      List<Timeliness.Onset> onsets, Map<String, Long> counts) {}

  /**
   * Rows whose outcome is unknown (a target year beyond the outcome data) are not scored; when the
   * file gives no rank, ranks are computed per target year.
   */
  public static Prepared prepare(String source, Harmonised h, Map<Long, Integer> outcomes) {
    List<Matched> rows = withRanks(h.rows());
    boolean separateMade = rows.stream().anyMatch(m -> !Double.isNaN(m.madeRisk()) || m.madeRank() > 0);
    Map<Long, Matched> byKey = new LinkedHashMap<>();
    long duplicates = 0;
    for (Matched m : rows) {
      if (byKey.putIfAbsent(AnnualProtocol.key(m.year(), m.ccode()), m) != null) {
        duplicates++;
      }
    }
    List<MetricsTable.Scored> scored = new ArrayList<>();
    List<Forecast> made = new ArrayList<>();
    List<Timeliness.Onset> onsets = new ArrayList<>();
    long unknownOutcome = 0;
    for (Matched m : byKey.values()) {
      if (!separateMade) {
        made.add(new Forecast(source, m.year() - 1, m.year() - 1, m.ccode(), m.country(), m.risk(), m.rank()));
      } else if (!Double.isNaN(m.madeRisk())) { // NA: no forecast was made for it that year
        made.add(new Forecast(source, m.year() - 1, m.year() - 1, m.ccode(), m.country(), m.madeRisk(), m.madeRank()));
      }
      Integer y = outcomes.get(AnnualProtocol.key(m.year(), m.ccode()));
      if (y == null) {
        unknownOutcome++;
        continue;
      }
      scored.add(new MetricsTable.Scored(m.ccode(), m.year(), Integer.toString(m.year()), m.risk(), m.rank(), y));
      if (y == 1) {
        onsets.add(new Timeliness.Onset(m.ccode(), m.country(), m.year()));
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("matched_rows", (long) rows.size());
    counts.put("unmatched_rows", (long) h.unmatched().size());
    counts.put("duplicate_rows", duplicates);
    counts.put("unknown_outcome_rows", unknownOutcome);
    counts.put("scored_rows", (long) scored.size());
    counts.put("onsets", (long) onsets.size());
    return new Prepared(source, scored, made, onsets, counts);
  }

  /**
   * Metrics (pooled and per year), the case table and curves of one external source (the
   * stand-alone {@code score-forecasts}; the annual back-test scores its configured sources
   * beside its models with {@link #prepare}).
   */
  public static Result score(String source, Harmonised h, Map<Long, Integer> outcomes, Map<Long, String> episodeNames,
      BacktestSettings s) {
    Prepared p = prepare(source, h, outcomes);
    List<MetricsTable.Row> metrics = MetricsTable.table(source, "external", p.scored(), s.metrics(), true);
    List<Timeliness.Case> cases = Timeliness.cases(source, p.made(), p.onsets(), episodeNames, s.flagging());
    return new Result(Table.metrics(metrics, s.metrics()), Table.cases(cases, "onset_year", y -> y),
        Table.leadTimes(Timeliness.leadTimes(source, cases)), Table.curves(Map.of(source, p.scored())), p.counts());
  }

  /** Given ranks are kept; missing ones are computed per year (min rank on ties). */
  static List<Matched> withRanks(List<Matched> rows) {
    if (rows.stream().allMatch(r -> r.rank() > 0)) {
      return rows;
    }
    Map<Integer, List<Integer>> byYear = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      byYear.computeIfAbsent(rows.get(i).year(), y -> new ArrayList<>()).add(i);
    }
    Matched[] out = rows.toArray(Matched[]::new);
    byYear.values().forEach(idx -> {
      int[] ranks = AnnualProtocol.minRanks(idx.stream().mapToDouble(i -> rows.get(i).risk()).toArray());
      for (int k = 0; k < idx.size(); k++) {
        Matched m = rows.get(idx.get(k));
        out[idx.get(k)] = new Matched(m.ccode(), m.country(), m.year(), m.risk(), ranks[k], m.madeRisk(), m.madeRank());
      }
    });
    return List.of(out);
  }

  /** The unmatched rows as a table for the run folder. */
  public static Table unmatchedTable(List<Unmatched> unmatched) {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("code", "string").add("country", "string").add("year", "string").add("reason", "string");
    List<Row> rows = new ArrayList<>();
    for (Unmatched u : unmatched) {
      rows.add(org.apache.spark.sql.RowFactory.create(u.code(), u.country(), u.year(), u.reason()));
    }
    return new Table("backtest_unmatched", "unmatched.csv", schema, rows);
  }
}
