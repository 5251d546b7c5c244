package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.ewarn.config.Settings;
import org.ewarn.model.ElasticNetSettings;
import org.junit.jupiter.api.Test;

/**
 * The monthly protocol on a two-country, twelve-month panel small enough to do by hand: the
 * persistence baseline's rates, its forecasts, the reliability table and the metrics.
 *
 * <p>Months m = 0 … 11 (2000-01 … 2000-12). One-sided deaths and onsets:
 * <pre>
 *   A deaths  0  5  0  0 30  0  0  0 10  0  0  0     onset at m = 4
 *   B deaths  0  0  0  0  0  0 40  0  0  0  0  0     onsets at m = 7 and m = 11
 * </pre>
 * "Any one-sided deaths in the last 3 months" (t−2 … t): A true at m = 1…6 and 8…10; B at 6…8.
 * One refit at origin 2000-09 (m = 8) serves origins 8 … 11; forecasts are made at t = 7 … 10.
 *
 * <p>Lead 1 trains on pairs (t, onset at t+1) with t + 1 &lt; 8, t = 0 … 6 of both countries. With
 * recent deaths: A t = 1…6 (onset at 4 from t = 3), B t = 6 (onset at 7): 7 pairs, 2 onsets → 2/7.
 * Without: A t = 0, B t = 0…5: 7 pairs, no onset → 0.
 * Lead 2 (t + 2 &lt; 8, t = 0 … 5): with: A t = 1…5, onset at 4 from t = 2 → 1/5; without:
 * A t = 0, B t = 0…5, onset at 7 from t = 5 → 1/7.
 */
class MonthlyBacktestTest {
  static final int M0 = MonthlyProtocol.monthIndex("2000-01");

  static MonthlyProtocol.History history() {
    double[][] deaths = {{0, 5, 0, 0, 30, 0, 0, 0, 10, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 40, 0, 0, 0, 0, 0}};
    int[][] onsetMonths = {{4}, {7, 11}};
    int n = 24;
    int[] unit = new int[n];
    String[] name = new String[n];
    int[] month = new int[n];
    double[][] x = new double[n][];
    double[] y = new double[n];
    double[] os = new double[n];
    for (int u = 0; u < 2; u++) {
      for (int m = 0; m < 12; m++) {
        int i = u * 12 + m;
        unit[i] = u + 1;
        name[i] = u == 0 ? "A" : "B";
        month[i] = M0 + m;
        x[i] = new double[] {deaths[u][m]};
        os[i] = deaths[u][m];
        final int mm = m;
        y[i] = java.util.Arrays.stream(onsetMonths[u]).anyMatch(o -> o == mm) ? 1 : 0;
      }
    }
    return new MonthlyProtocol.History(unit, name, month, x, y, MonthlyProtocol.anyWithin(unit, month, os, 3),
        MonthlyProtocol.onsetBefore(unit, y));
  }

  static BacktestSettings settings(String... extra) {
    List<String> sets = new ArrayList<>(List.of("backtest.monthly.first-origin=\"2000-09\"",
        "backtest.monthly.last-origin=\"2000-12\"", "backtest.monthly.horizon=2", "backtest.monthly.refit-every=12",
        "backtest.monthly.models=[baseline_persistence]", "backtest.calibration.edges=[0, 0.1, 0.2, 0.5, 1]",
        "backtest.monthly.flag-rank=1", "backtest.monthly.bootstrap-replicates=0"));
    sets.addAll(List.of(extra));
    return BacktestSettings.from(Settings.load(org.ewarn.config.Settings.home(), null, sets));
  }

  @Test
  void recentViolenceAndHistoryFactsByHand() {
    MonthlyProtocol.History h = history();
    boolean[] a = java.util.Arrays.copyOfRange(h.recentViolence(), 0, 12);
    boolean[] b = java.util.Arrays.copyOfRange(h.recentViolence(), 12, 24);
    assertThat(a).containsExactly(false, true, true, true, true, true, true, false, true, true, true, false);
    assertThat(b).containsExactly(false, false, false, false, false, false, true, true, true, false, false, false);
    // an onset is known from its own month on
    assertThat(java.util.Arrays.copyOfRange(h.onsetBefore(), 12, 24))
        .containsExactly(false, false, false, false, false, false, false, true, true, true, true, true);
  }

  @Test
  void persistenceBaselineForecastsByHand() {
    MonthlyBacktest.Result r = MonthlyBacktest.evaluate(history(), List.of("baseline_persistence"),
        ElasticNetSettings.ewp(1), 1, settings(), () -> null);
    Map<String, Double> risk = new java.util.HashMap<>();
    r.forecasts().forEach(f -> risk.put(f.name() + (f.target() - f.horizon() - M0) + "+" + f.horizon(), f.risk()));
    // made at t = 7: A (no deaths in 5…7) and B (deaths in 6)
    assertThat(risk.get("A7+1")).isEqualTo(0.0);
    assertThat(risk.get("B7+1")).isCloseTo(2.0 / 7, within(1e-15));
    assertThat(risk.get("A7+2")).isCloseTo(1.0 / 7, within(1e-15));
    assertThat(risk.get("B7+2")).isCloseTo(1.0 / 5, within(1e-15));
    // t = 9: A has deaths in 8, B none in 7…9; t = 10: the same
    assertThat(risk.get("A9+2")).isCloseTo(1.0 / 5, within(1e-15));
    assertThat(risk.get("B9+2")).isCloseTo(1.0 / 7, within(1e-15));
    assertThat(risk.get("B10+1")).isEqualTo(0.0);
    // 4 origins x 2 countries x 2 leads are made; those for m = 12 have no outcome row
    assertThat(r.forecasts()).hasSize(16);
  }

  @Test
  void calibrationTableByHand() {
    MonthlyBacktest.Result r = MonthlyBacktest.evaluate(history(), List.of("baseline_persistence"),
        ElasticNetSettings.ewp(1), 1, settings(), () -> null);
    Table cal = table(r, "backtest_monthly_calibration");
    // scored (target ≤ m = 11): lead 1 from t = 7…10 (8), lead 2 from t = 7…9 (6)
    //   lead 1: A 0, 2/7, 2/7, 2/7; B 2/7, 2/7, 0, 0 (the last for B's onset at 11)
    //   lead 2: A 1/7, 1/5, 1/5;    B 1/5, 1/5, 1/7 (the last for B's onset at 11)
    // pooled bins [0, .1) [.1, .2) [.2, .5) [.5, 1]: forecasts, mean risk, onsets
    assertBin(cal, "pooled", 1, 3, 0.0, 1);
    assertBin(cal, "pooled", 2, 2, 1.0 / 7, 1);
    assertBin(cal, "pooled", 3, 9, (5 * 2.0 / 7 + 4 * 0.2) / 9, 0);
    assertBin(cal, "pooled", 4, 0, Double.NaN, 0);
    assertBin(cal, "lead_1", 1, 3, 0.0, 1);
    assertBin(cal, "lead_1", 3, 5, 2.0 / 7, 0);
    assertBin(cal, "lead_2", 2, 2, 1.0 / 7, 1);
    assertBin(cal, "lead_2", 3, 4, 0.2, 0);
  }

  @Test
  void metricsAgainstValuesComputedHere() {
    MonthlyBacktest.Result r = MonthlyBacktest.evaluate(history(), List.of("baseline_persistence"),
        ElasticNetSettings.ewp(1), 1, settings(), () -> null);
    Table metrics = table(r, "backtest_monthly_metrics");
    // pooled: onsets at risk 0 (lead 1) and 1/7 (lead 2); the 12 non-onsets: 0, 0 (two zeros),
    // 1/7 (one), 2/7 x5 and 1/5 x4. AUC = P(onset above non-onset), ties 1/2:
    // onset 0: 0 below, 2 ties -> 1; onset 1/7: 2 below, 1 tie -> 2.5; (1 + 2.5) / (2 x 12)
    assertThat(value(metrics, "pooled", "auc")).isCloseTo(3.5 / 24, within(1e-12));
    double brier = (2 * 0 + 1 + 5 * sq(2.0 / 7) + 4 * sq(0.2) + sq(1.0 / 7) + sq(1 - 1.0 / 7)) / 14;
    assertThat(value(metrics, "pooled", "brier")).isCloseTo(brier, within(1e-12));
    // lead 2: onset 1/7 against 1/7, 1/5 x4 -> 0.5 / 5
    assertThat(value(metrics, "lead_2", "auc")).isCloseTo(0.1, within(1e-12));
    // skill against itself is 0 by definition
    assertThat(value(metrics, "pooled", "brier_skill")).isCloseTo(0.0, within(1e-12));
    assertThat(value(metrics, "lead_1", "onsets")).isEqualTo(1.0);
    assertThat(r.counts().get("onsets")).isEqualTo(1L);
  }

  @Test
  void theCaseTableSaysMissedWhenNeverFlagged() {
    MonthlyBacktest.Result r = MonthlyBacktest.evaluate(history(), List.of("baseline_persistence"),
        ElasticNetSettings.ewp(1), 1, settings(), () -> null);
    Table cases = table(r, "backtest_monthly_cases");
    // the one onset inside the origins is B's at 2000-12; the one-month-ahead forecasts made in
    // 10 (0, rank 2 behind A's 2/7) and 9 (0, rank 2) did not flag it (flag-rank = 1)
    assertThat(cases.rows()).hasSize(1);
    Row c = cases.rows().get(0);
    assertThat(c.getString(cases.schema().fieldIndex("onset_month"))).isEqualTo("2000-12");
    assertThat(c.getBoolean(cases.schema().fieldIndex("missed"))).isTrue();
    assertThat(c.get(cases.schema().fieldIndex("first_flagged_month"))).isNull();
    assertThat(c.getInt(cases.schema().fieldIndex("warning_months"))).isZero();
    // flag-rank = 2 flags both countries every month: the run of flags reaches back to the first
    // forecast (made in 2000-08, the month before the first origin), 4 months running -> chronic at 2
    MonthlyBacktest.Result all = MonthlyBacktest.evaluate(history(), List.of("baseline_persistence"),
        ElasticNetSettings.ewp(1), 1, settings("backtest.monthly.flag-rank=2", "backtest.monthly.chronic-months=2"),
        () -> null);
    Row d = table(all, "backtest_monthly_cases").rows().get(0);
    assertThat(d.getBoolean(cases.schema().fieldIndex("missed"))).isFalse();
    assertThat(d.getString(cases.schema().fieldIndex("first_flagged_month"))).isEqualTo("2000-08");
    assertThat(d.getInt(cases.schema().fieldIndex("warning_months"))).isEqualTo(4);
    assertThat(d.getBoolean(cases.schema().fieldIndex("chronic"))).isTrue();
  }

  private static double sq(double v) {
    return v * v;
  }

  static Table table(MonthlyBacktest.Result r, String dataset) {
    return r.tables().stream().filter(t -> t.dataset().equals(dataset)).findFirst().orElseThrow();
  }

  private static double value(Table metrics, String scope, String column) {
    int s = metrics.schema().fieldIndex("scope");
    int c = metrics.schema().fieldIndex(column);
    Row row = metrics.rows().stream().filter(x -> x.getString(s).equals(scope)).findFirst().orElseThrow();
    return ((Number) row.get(c)).doubleValue();
  }

  private static void assertBin(Table cal, String scope, int bin, long forecasts, double meanRisk, long onsets) {
    int s = cal.schema().fieldIndex("scope");
    int b = cal.schema().fieldIndex("bin");
    Row row = cal.rows().stream().filter(x -> x.getString(s).equals(scope) && x.getInt(b) == bin).findFirst()
        .orElseThrow();
    assertThat(row.getLong(cal.schema().fieldIndex("forecasts"))).as("%s bin %d forecasts", scope, bin)
        .isEqualTo(forecasts);
    assertThat(row.getLong(cal.schema().fieldIndex("onsets"))).as("%s bin %d onsets", scope, bin).isEqualTo(onsets);
    Object mean = row.get(cal.schema().fieldIndex("mean_risk"));
    if (Double.isNaN(meanRisk)) {
      assertThat(mean).isNull();
    } else {
      assertThat((Double) mean).as("%s bin %d mean", scope, bin).isCloseTo(meanRisk, within(1e-12));
    }
  }
}
