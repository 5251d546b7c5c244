package org.ewarn.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.model.ElasticNet;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.model.RiskModel;
import org.ewarn.panel.CountryMonthPanel;
import org.ewarn.panel.PanelConfig;
import org.ewarn.panel.WarehouseFixture;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;

/**
 * The monthly back-test's outcome and predictors on the real country-month panel (built from the
 * bundled files by the panel stage's own code): month onsets where the look-ahead window switches
 * on, and no look-ahead column ever among the predictors.
 */
@org.junit.jupiter.api.Tag("slow")
class MonthlyOutcomeTest extends SparkTest {
  private static Dataset<Row> realPanel;

  private Dataset<Row> panel() {
    if (realPanel == null) {
      WarehouseFixture f = new WarehouseFixture(spark(), HOME);
      realPanel = CountryMonthPanel.build(new CountryMonthPanel.Inputs(f.gedEvents(), null, f.coups(), f.protests(),
          f.gwStates(), f.episodes(), f.pitfGenocide(), 2024), PanelConfig.defaults()).cache();
    }
    return realPanel;
  }

  private static BacktestSettings settings(String... sets) {
    return BacktestSettings.from(Settings.load(HOME, null, List.of(sets)));
  }

  @Test
  void onsetIsWhereTheWindowSwitchesOn() {
    // one unit, months 0 … 9, window H = 3; onsets in months 5 and 6 (6 within H of 5: not new)
    // W(t) = onset in t+1 … t+3: W = 0 0 1 1 1 1 0 0 0 0
    int[] w = {0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < w.length; t++) {
      rows.add(RowFactory.create(7, t, w[t]));
    }
    StructType schema = new StructType().add("gw_code", DataTypes.IntegerType).add("month_index", DataTypes.IntegerType)
        .add("win", DataTypes.IntegerType);
    Map<Integer, Integer> onset = new HashMap<>();
    for (Row r : MonthlyOutcome.withOnset(spark().createDataFrame(rows, schema), "gw_code", "win", 3)
        .collectAsList()) {
      onset.put(r.getInt(r.fieldIndex("month_index")), r.isNullAt(r.fieldIndex("onset")) ? null
          : r.getInt(r.fieldIndex("onset")));
    }
    // onset(m) from W(m−3), W(m−4): months 0 … 2 have no W(m−3) row (unknown); W(0) = W(1) = 0
    // make 3 and 4 known non-onsets; W(2) = 1 after W(1) = 0 puts the onset at 5; 6 … 8 follow a
    // window already on (the onset in 6 is not new); W(6) = 0 makes 9 a non-onset
    List<Integer> expected = java.util.Arrays.asList(null, null, null, 0, 0, 1, 0, 0, 0, 0);
    for (int m = 0; m < 10; m++) {
      assertThat(onset.get(m)).as("month %d", m).isEqualTo(expected.get(m));
    }
    assertThat(onset).hasSize(10);
  }

  @Test
  void pitfStartMonthsComeBackFromTheRealPanelsWindowColumn() throws Exception {
    Dataset<Row> withOnset = MonthlyOutcome.withOnset(panel(), "gw_code", "pitf_gp_onset_next", 12);
    // independent: the start months in the raw PITF file for Rwanda (517) and the CAR (482)
    Map<Integer, Integer> start = new HashMap<>();
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        HOME.resolve("jobs/data/pitf/genocide-politicide-2014.csv.gz"))), StandardCharsets.UTF_8)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        int code = Integer.parseInt(rec.get("CCODE"));
        int year = Integer.parseInt(rec.get("YRBEGIN"));
        if ((code == 517 || code == 482) && year >= 1990) {
          start.put(code, year * 12 + Integer.parseInt(rec.get("MOBEGIN")) - 1);
        }
      }
    }
    assertThat(start).containsKeys(517, 482);
    for (int code : List.of(517, 482)) {
      List<Row> onsets = withOnset.where(col("gw_code").equalTo(code).and(col("onset").equalTo(1)))
          .select("month_index").collectAsList();
      assertThat(onsets).as("gw %d", code).extracting(r -> ((Number) r.get(0)).intValue())
          .containsExactly(start.get(code));
      // the months around it are known non-onsets
      long zeros = withOnset.where(col("gw_code").equalTo(code).and(col("onset").equalTo(0))
          .and(col("month_index").between(start.get(code) - 6, start.get(code) + 6))).count();
      assertThat(zeros).as("gw %d", code).isEqualTo(12);
    }
  }

  @Test
  void noLookAheadColumnOfTheRealPanelIsEverAPredictor() {
    BacktestSettings.Monthly m = settings().monthly();
    List<String> predictors = MonthlyBacktest.numericColumns(panel(), m);
    // the panel's outcome columns as documented in jobs/MARTS.md (panel_country_month)
    List<String> documentedOutcomes = List.of("mk_onset_any_next", "mk_onset_state_next", "mk_onset_nonstate_next",
        "pitf_gp_onset_next", "outcome_horizon_months");
    assertThat(List.of(panel().columns())).containsAll(documentedOutcomes);
    assertThat(predictors).doesNotContainAnyElementsOf(documentedOutcomes).doesNotContain("onset", "month_index")
        .contains("ged_sb_deaths", "coup_attempts");
    // a look-ahead column added to the panel later is refused by name, not by luck
    Dataset<Row> grown = panel().withColumn("mk_onset_any_within_24m", lit(0))
        .withColumn("ged_os_deaths_next_3m", lit(0.0)).withColumn("pitf_gp_onset_within", lit(0));
    assertThat(MonthlyBacktest.numericColumns(grown, m))
        .doesNotContain("mk_onset_any_within_24m", "ged_os_deaths_next_3m", "pitf_gp_onset_within");
    // and naming one as a predictor is a configuration error
    assertThatThrownBy(() -> settings("backtest.monthly.predictors=[ged_sb_deaths, mk_onset_any_next]"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("mk_onset_any_next");
  }

  @Test
  void monthlyBacktestRunsOnTheRealPanel() {
    // PITF onsets are rare (none in 2010–2012), so the model trains on all earlier months
    BacktestSettings s = settings("backtest.monthly.first-origin=\"2013-01\"", "backtest.monthly.last-origin=\"2013-02\"",
        "backtest.monthly.horizon=2", "backtest.monthly.refit-every=2", "backtest.monthly.training-months=0", "backtest.metrics.bootstrap-replicates=20",
        "backtest.monthly.outcome-window=pitf_gp_onset_next",
        // the panel as built here has no name column (the panel stage joins names when publishing)
        "backtest.monthly.name-column=gw_code");
    List<RiskModel> models = List.of(new ElasticNet(ElasticNetSettings.ewp(1)));
    MonthlyBacktest.Result r = MonthlyBacktest.run(panel(), models, 1, s);
    Table metrics = r.tables().get(0);
    int scope = metrics.schema().fieldIndex("scope");
    List<String> scopes = metrics.rows().stream().map(x -> x.getString(scope)).toList();
    assertThat(scopes).contains("pooled", "lead_1", "lead_2");
    // one forecast per country with complete predictors in the month before each origin, per horizon
    long countries = panel().where(col("month_index").equalTo(2013 * 12 - 1 + 0)).count();
    assertThat(r.counts().get("forecasts")).isPositive().isLessThanOrEqualTo(countries * 2 * 2);
    // the bundled PITF file's onsets nearest this window are CAR 2013-12 and Iraq 2014-08: none in
    // the target months 2013-01 … 2013-03, so every forecast row is a non-onset and the AUC is NA
    Row pooled = metrics.rows().stream().filter(x -> x.getString(scope).equals("pooled")).findFirst().orElseThrow();
    assertThat(((Number) pooled.get(metrics.schema().fieldIndex("onsets"))).longValue()).isZero();
    assertThat(((Number) pooled.get(metrics.schema().fieldIndex("rows"))).longValue()).isEqualTo(r.counts().get("forecasts"));
    assertThat(pooled.isNullAt(metrics.schema().fieldIndex("auc"))).as("AUC without onsets is NA").isTrue();
    // every outcome is 0, so the Brier score is the mean squared risk: above 0, far below 1
    assertThat(((Number) pooled.get(metrics.schema().fieldIndex("brier"))).doubleValue()).isStrictlyBetween(0.0, 0.1);
  }
}
