package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.model.FrequencyBaseline;
import org.ewarn.model.RiskModel;
import org.junit.jupiter.api.Test;

/**
 * The annual scorecard's pieces worked out by hand on tiny panels: the in-memory frequency
 * baseline, the ensemble from its members' forecasts, the common sample with an external source,
 * and the estimate of the time left.
 */
class AnnualScorecardTest {
  static final double NA = Double.NaN;

  @Test
  void theFrequencyBaselineTrainsOnRowsWithItsOwnPredictorAndScoresCompleteRows() {
    // the toy history: x = 0.1 (country 10), 0.2 / 0.05 (20, even / odd years), 0.2 (30);
    // outcome 1 for country 20 in 1993 and 1994, NA for country 10 in 1991
    CountryYears panel = AnnualProtocolTest.history();
    List<Forecast> f = AnnualProtocol.frequencyForecasts("b", panel, 0, 0.15, 1994, 2);
    // training years 1990-1994, rows with x > 0.15: country 30 (5 rows, no onset) and country 20
    // in 1990, 1992, 1994 (1994 an onset) -> 1/8; x <= 0.15: country 10 (4 known outcomes) and
    // country 20 in 1991, 1993 (1993 an onset) -> 1/6
    assertThat(f).extracting(Forecast::ccode).containsExactly(10, 20, 30);
    assertThat(f).extracting(Forecast::year).containsOnly(1996);
    assertThat(f.get(0).risk()).isEqualTo(1.0 / 6);
    assertThat(f.get(1).risk()).isEqualTo(1.0 / 8); // 1996 is even: country 20 at 0.2
    assertThat(f.get(2).risk()).isEqualTo(1.0 / 8);
    assertThat(f).extracting(Forecast::rank).containsExactly(1, 2, 2);
  }

  @Test
  void theEnsembleAveragesItsMembersWhereEveryMemberForecastAndRanksPerOrigin() {
    List<Forecast> a = List.of(new Forecast("a", 2000, 2002, 10, "ten", 0.1, 2), new Forecast("a", 2000, 2002, 20, "twenty", 0.3, 1),
        new Forecast("a", 2000, 2002, 30, "thirty", 0.05, 3), new Forecast("a", 2001, 2003, 10, "ten", 0.2, 1));
    List<Forecast> b = List.of(new Forecast("b", 2000, 2002, 10, "ten", 0.5, 1), new Forecast("b", 2000, 2002, 20, "twenty", 0.1, 2),
        new Forecast("b", 2001, 2003, 10, "ten", 0.4, 1));
    List<Forecast> e = AnnualProtocol.averaged("e", List.of(a, b));
    // country 30 has no forecast of b: left out, as the Spark ensemble's inner join does
    assertThat(e).containsExactly(
        new Forecast("e", 2000, 2002, 10, "ten", (0.0 + 0.1 + 0.5) / 2, 1),
        new Forecast("e", 2000, 2002, 20, "twenty", (0.0 + 0.3 + 0.1) / 2, 2),
        new Forecast("e", 2001, 2003, 10, "ten", (0.0 + 0.2 + 0.4) / 2, 1));
  }

  /** Five countries, 1990-1999: p = ccode / 100, onsets of 20 in 1996 and of 40 in 1998. */
  static List<Row> panelRows() {
    StructType schema = new StructType().add("year", DataTypes.IntegerType).add("ccode", DataTypes.IntegerType)
        .add("name", DataTypes.StringType).add("p", DataTypes.DoubleType).add("q", DataTypes.DoubleType)
        .add("y", DataTypes.DoubleType).add("onset", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int year = 1990; year <= 1999; year++) {
      for (int c : new int[] {10, 20, 30, 40, 50}) {
        double onset = (c == 20 && year == 1996) || (c == 40 && year == 1998) ? 1 : 0;
        double y = (c == 20 && (year == 1994 || year == 1995)) || (c == 40 && (year == 1996 || year == 1997)) ? 1 : 0;
        // q is missing for country 50 in 1997: no model scores it for 1997 (made then)
        Double q = c == 50 && year == 1997 ? null : (c == 10 ? 1.0 : 0.0);
        rows.add(new GenericRowWithSchema(new Object[] {year, c, "c" + c, c / 100.0, q, y, onset}, schema));
      }
    }
    return rows;
  }

  @Test
  void everySourceIsScoredOnItsOwnSampleAndOnTheCasesAllOfThemCover() {
    BacktestSettings s = settings(List.of("p", "q"), new AnnualProtocol.Window(1994, 1997, 2, 1996));
    List<RiskModel> models = List.of(new FrequencyBaseline("baseline_p", "p", 0.25),
        new FrequencyBaseline("baseline_q", "q", 0.5));
    // an external source with warnings for 1997-1999 of countries 10, 20 and 40 only
    List<ExternalForecasts.Matched> ext = new ArrayList<>();
    for (int year = 1997; year <= 1999; year++) {
      for (int c : new int[] {10, 20, 40}) {
        ext.add(new ExternalForecasts.Matched(c, "c" + c, year, c / 1000.0, 0));
      }
    }
    ext.add(new ExternalForecasts.Matched(30, "c30", 2005, 0.1, 0)); // beyond the outcomes: not scored
    AnnualBacktest.External external = new AnnualBacktest.External("outside",
        new ExternalForecasts.Harmonised(ext, List.of()));
    AnnualBacktest.Result r = AnnualBacktest.run(panelRows(), null, () -> {
      throw new AssertionError("no Spark for in-memory models");
    }, models, List.of(external), 1, 1, s);

    Map<String, Row> pooled = new java.util.HashMap<>();
    for (Row m : r.metrics().rows()) {
      if (m.getString(2).equals("pooled")) {
        pooled.put(m.getString(0) + "/" + m.getString(3), m);
      }
    }
    int rowsColumn = r.metrics().schema().fieldIndex("rows");
    int onsetsColumn = r.metrics().schema().fieldIndex("onsets");
    // own: warnings 1996-1999 x 5 countries = 20 rows for each model; 9 for the external source
    assertThat(pooled.get("baseline_p/own").getLong(rowsColumn)).isEqualTo(20);
    assertThat(pooled.get("outside/own").getLong(rowsColumn)).isEqualTo(9);
    assertThat(pooled.get("outside/own").getString(1)).isEqualTo("external");
    // forecasts are made 1996-1999 (origins 1994-1997); a warning for Y needs one made in Y-1 or
    // Y-2, so 1996 has none. The common cases: years 1997-1999 of countries 10, 20, 40 = 9, with
    // the onset of 40 in 1998 (that of 20 in 1996 has no forecast of ours)
    for (String source : List.of("baseline_p", "baseline_q", "outside")) {
      assertThat(pooled.get(source + "/common").getLong(rowsColumn)).as(source).isEqualTo(9);
      assertThat(pooled.get(source + "/common").getLong(onsetsColumn)).as(source).isEqualTo(1);
    }
    assertThat(r.counts()).containsEntry("common_sample_rows", 9L).containsEntry("common_sample_onsets", 1L);
    // calibration tables for every source, both samples
    assertThat(r.calibration().rows().stream().map(b -> b.getString(0) + "/" + b.getString(3)).distinct().toList())
        .containsExactlyInAnyOrder("baseline_p/own", "baseline_q/own", "outside/own", "baseline_p/common",
            "baseline_q/common", "outside/common");
  }

  @Test
  void aShortSourceLeavesTheLongRunningSourcesCommonSampleAsItWas() {
    BacktestSettings s = settings(List.of("p", "q"), new AnnualProtocol.Window(1994, 1997, 2, 1996));
    List<RiskModel> models = List.of(new FrequencyBaseline("baseline_p", "p", 0.25),
        new FrequencyBaseline("baseline_q", "q", 0.5));
    List<ExternalForecasts.Matched> longRows = new ArrayList<>();
    for (int year = 1997; year <= 1999; year++) {
      for (int c : new int[] {10, 20, 40}) {
        longRows.add(new ExternalForecasts.Matched(c, "c" + c, year, c / 1000.0, 0));
      }
    }
    // one year of four (1999, countries 10 and 40): below the default share of 0.5
    List<ExternalForecasts.Matched> shortRows = List.of(new ExternalForecasts.Matched(10, "c10", 1999, 0.2, 0),
        new ExternalForecasts.Matched(40, "c40", 1999, 0.1, 0));
    AnnualBacktest.Result r = AnnualBacktest.run(panelRows(), null, () -> {
      throw new AssertionError("no Spark for in-memory models");
    }, models, List.of(new AnnualBacktest.External("outside", new ExternalForecasts.Harmonised(longRows, List.of())),
        new AnnualBacktest.External("brief", new ExternalForecasts.Harmonised(shortRows, List.of()))), 1, 1, s);

    Map<String, Row> pooled = new java.util.HashMap<>();
    for (Row m : r.metrics().rows()) {
      if (m.getString(2).equals("pooled")) {
        pooled.put(m.getString(0) + "/" + m.getString(3), m);
      }
    }
    int rowsColumn = r.metrics().schema().fieldIndex("rows");
    int onsetsColumn = r.metrics().schema().fieldIndex("onsets");
    // strict: the two cases of 1999, no onset; long-running: the nine cases and one onset of the
    // comparison without the brief source, which has no row of that sample
    for (String source : List.of("baseline_p", "baseline_q", "outside", "brief")) {
      assertThat(pooled.get(source + "/common").getLong(rowsColumn)).as(source).isEqualTo(2);
    }
    for (String source : List.of("baseline_p", "baseline_q", "outside")) {
      assertThat(pooled.get(source + "/common_long").getLong(rowsColumn)).as(source).isEqualTo(9);
      assertThat(pooled.get(source + "/common_long").getLong(onsetsColumn)).as(source).isEqualTo(1);
    }
    assertThat(pooled).doesNotContainKey("brief/common_long");
    assertThat(r.counts()).containsEntry("common_sample_rows", 2L).containsEntry("common_sample_onsets", 0L)
        .containsEntry("common_long_sample_rows", 9L).containsEntry("common_long_sample_onsets", 1L)
        .containsEntry("common_long_sample_sources", 3L);
    assertThat(r.calibration().rows().stream().map(b -> b.getString(0) + "/" + b.getString(3)).distinct().toList())
        .contains("outside/common_long").doesNotContain("brief/common_long");
  }

  @Test
  void theTimeLeftWeighsEachModelsRemainingOriginsByItsOwnFitTime() {
    FitProgress p = new FitProgress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    p.expect("slow", FitProgress.Engine.MLLIB, 4);
    p.expect("fast", FitProgress.Engine.ELASTIC_NET, 4);
    p.fitted("slow", 2000, 10);
    p.fitted("fast", 2000, 1);
    p.fitted("fast", 2001, 1);
    // work done 12 s of fits, left 3 x 10 + 2 x 1 = 32 s of fits; 6 s of wall time so far -> 16 s
    assertThat(p.left(6)).isEqualTo("about 16 s left");
    assertThat(FitProgress.duration(95)).isEqualTo("1m35s");
  }

  @Test
  void aModelNotStartedIsPricedByItsEngineNotByTheSlowFirstFits() {
    FitProgress p = new FitProgress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    p.expect("net", FitProgress.Engine.ELASTIC_NET, 4);
    p.expect("net_events", FitProgress.Engine.ELASTIC_NET, 4);
    p.expect("forest", FitProgress.Engine.XGBOOST, 4);
    p.expect("baseline", FitProgress.Engine.FREQUENCY, 4);
    // a cold first fit (start-up) and two warm ones: the median, 2 s, prices the net's last origin
    p.fitted("net", 2000, 20);
    p.fitted("net", 2001, 2);
    p.fitted("net", 2002, 2);
    // left: net 1 x 2, net_events 4 x 2 (the net's median), forest 4 x 0.1 x 2 (prior x seconds
    // per unit, 2 / 1), baseline 4 x 0.001 x 2 = 10.808 s of fits; done 24 s in 12 s of wall time
    assertThat(p.left(12)).isEqualTo("about 5 s left"); // 12 x 10.808 / 24 = 5.4
    p.fitted("net", 2003, 2);
    p.fitted("forest", 2000, 0.2);
    // the forest now at its own 0.2 s; the baseline at its prior times (4 x 2 + 0.2) s per (4 x 1 + 0.1) units;
    // 26.2 s of fits done in 26.2 s of wall time
    assertThat(p.left(26.2)).isEqualTo("about " + FitProgress.duration(
        26.2 * (4 * 2 + 3 * 0.2 + 4 * 0.001 * ((2 * 4 + 0.2) / (4 * 1.0 + 0.1))) / 26.2) + " left");
  }

  static BacktestSettings settings(List<String> predictors, AnnualProtocol.Window window) {
    return new BacktestSettings(List.of(), "unused",
        new BacktestSettings.Annual("panel", "name", "y", "onset", predictors, window, 1, Map.of()), null,
        new MetricsTable.Settings(List.of(2), 2, List.of(0.5), 0, 1, 2, 0.95),
        new Timeliness.Flagging(2, NA, 3), "unused", List.of(0.0, 0.1, 1.0), "baseline_p");
  }

  @Test
  void brierSkillOfTheCommonSampleIsAgainstTheReferenceOnTheSameCases() {
    BacktestSettings s = settings(List.of("p", "q"), new AnnualProtocol.Window(1994, 1997, 2, 1996));
    AnnualBacktest.Result r = AnnualBacktest.run(panelRows(), null, () -> null,
        List.of(new FrequencyBaseline("baseline_p", "p", 0.25), new FrequencyBaseline("baseline_q", "q", 0.5)),
        List.of(), 1, 1, s);
    int skill = r.metrics().schema().fieldIndex("brier_skill");
    for (Row m : r.metrics().rows()) {
      if (m.getString(0).equals("baseline_p") && m.getString(2).equals("pooled")) {
        assertThat(m.getDouble(skill)).as(m.getString(3)).isCloseTo(0.0, within(1e-15)); // itself
      }
    }
  }
}
