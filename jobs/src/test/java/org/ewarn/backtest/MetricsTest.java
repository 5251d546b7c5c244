package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metric functions against values worked out by hand on five rows with a tied risk. */
class MetricsTest {
  // onsets at 0.9 and 0.8; a non-onset tied at 0.8
  static final double[] RISK = {0.9, 0.8, 0.8, 0.3, 0.1};
  static final int[] ONSET = {1, 0, 1, 0, 0};

  @Test
  void aucCountsTiesAsHalfAWin() {
    // pairs (onset, non-onset): 0.9 beats all three; 0.8 ties one (½) and beats two → 5.5 / 6
    assertThat(Metrics.auc(RISK, ONSET)).isCloseTo(5.5 / 6, within(1e-12));
    assertThat(Metrics.auc(new double[] {0.5, 0.5}, new int[] {1, 0})).isEqualTo(0.5);
    assertThat(Metrics.auc(new double[] {0.5, 0.4}, new int[] {0, 0})).isNaN();
  }

  @Test
  void averagePrecisionEntersTiedRowsTogether() {
    // at 0.9: recall ½, precision 1; at 0.8 (three rows seen, two onsets): recall +½, precision ⅔
    assertThat(Metrics.averagePrecision(RISK, ONSET)).isCloseTo(0.5 * 1 + 0.5 * 2.0 / 3, within(1e-12));
  }

  @Test
  void brierAndLogLoss() {
    assertThat(Metrics.brier(RISK, ONSET)).isCloseTo((0.01 + 0.64 + 0.04 + 0.09 + 0.01) / 5, within(1e-12));
    double expected = -(Math.log(0.9) + Math.log(0.2) + Math.log(0.8) + Math.log(0.7) + Math.log(0.9)) / 5;
    assertThat(Metrics.logLoss(RISK, ONSET)).isCloseTo(expected, within(1e-12));
    // a certain miss is clipped, not infinite
    assertThat(Metrics.logLoss(new double[] {0.0}, new int[] {1})).isCloseTo(-Math.log(1e-15), within(1e-6));
  }

  @Test
  void ranksTiesTakeTheLowestRankAndRecallPrecisionUseThem() {
    int[] rank = AnnualProtocol.minRanks(RISK);
    assertThat(rank).containsExactly(1, 2, 2, 4, 5);
    assertThat(Metrics.recallAtK(rank, ONSET, 1)).isEqualTo(0.5);
    assertThat(Metrics.recallAtK(rank, ONSET, 2)).isEqualTo(1.0);
    // top 2 by rank holds three rows (a tie at rank 2), two of them onsets
    assertThat(Metrics.precisionAtK(rank, ONSET, 2)).isCloseTo(2.0 / 3, within(1e-12));
    // a missing rank (0) never counts as flagged
    assertThat(Metrics.recallAtK(new int[] {0, 3}, new int[] {1, 1}, 30)).isEqualTo(0.5);
  }

  @Test
  void thresholdsAndRiskRatio() {
    assertThat(Metrics.shareAbove(RISK, ONSET, 0.8)).isEqualTo(1.0);
    assertThat(Metrics.falseAlarmsPerTrue(RISK, ONSET, 0.8)).isEqualTo(0.5);
    assertThat(Metrics.shareAbove(RISK, ONSET, 0.85)).isEqualTo(0.5);
    assertThat(Metrics.falseAlarmsPerTrue(RISK, ONSET, 0.85)).isEqualTo(0.0);
    assertThat(Metrics.falseAlarmsPerTrue(RISK, ONSET, 0.95)).isNaN();
    assertThat(Metrics.riskRatio(RISK, ONSET)).isCloseTo(0.85 / 0.4, within(1e-12));
  }

  @Test
  void rocAndPrecisionRecallCurves() {
    assertThat(Metrics.roc(RISK, ONSET)).containsExactly(
        new Metrics.Point(0, 0), new Metrics.Point(0, 0.5), new Metrics.Point(1.0 / 3, 1),
        new Metrics.Point(2.0 / 3, 1), new Metrics.Point(1, 1));
    assertThat(Metrics.precisionRecall(RISK, ONSET)).containsExactly(
        new Metrics.Point(0.5, 1), new Metrics.Point(1, 2.0 / 3), new Metrics.Point(1, 0.5), new Metrics.Point(1, 0.4));
  }

  @Test
  void bootstrapIsDeterministicBySeedAndResamplesCountries() {
    List<MetricsTable.Scored> rows = new ArrayList<>();
    java.util.Random r = new java.util.Random(9);
    for (int country = 1; country <= 40; country++) {
      for (int year = 2000; year < 2010; year++) {
        double risk = r.nextDouble();
        rows.add(new MetricsTable.Scored(country, year, Integer.toString(year), risk, 1 + r.nextInt(60),
            r.nextDouble() < risk * 0.2 ? 1 : 0));
      }
    }
    MetricsTable.Settings s = new MetricsTable.Settings(List.of(10, 20, 30), 30, List.of(0.025, 0.04), 500, 77, 30, 0.95);
    double[][] a = MetricsTable.bootstrap(rows, s);
    double[][] b = MetricsTable.bootstrap(rows, s);
    assertThat(a[0]).containsExactly(b[0]);
    assertThat(a[1]).containsExactly(b[1]);
    double[][] other = MetricsTable.bootstrap(rows,
        new MetricsTable.Settings(List.of(10, 20, 30), 30, List.of(0.025, 0.04), 500, 78, 30, 0.95));
    assertThat(other[0]).isNotEqualTo(a[0]);
    MetricsTable.Row row = MetricsTable.row("m", "annual", "pooled", rows, s);
    assertThat(row.values().get("auc")).isBetween(a[0][0], a[0][1]);
    assertThat(a[0][0]).isLessThan(a[0][1]);
    // one country only: every resample is that country, so the interval collapses on the estimate
    // (a fixed country with both outcomes, so the check always runs: positives at risks .2 .5 .7 .8
    // beat 1 + 3 + 4 + 4 of the 16 negative pairs, AUC 0.75)
    double[] risks = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    int[] onsets = {0, 1, 0, 0, 1, 0, 1, 1};
    List<MetricsTable.Scored> one = new ArrayList<>();
    for (int i = 0; i < risks.length; i++) {
      one.add(new MetricsTable.Scored(3, 2000 + i, Integer.toString(2000 + i), risks[i], 8 - i, onsets[i]));
    }
    double[][] single = MetricsTable.bootstrap(one, s);
    assertThat(single[0]).containsExactly(0.75, 0.75);
  }

  @Test
  void aBootstrapReplicateWeightsRowsByHowOftenTheirCountryWasDrawn() {
    // with one replicate, the interval bounds are that replicate's AUC: redo the draw here and
    // compute the AUC of the copied rows with Metrics.auc (no weighting)
    List<MetricsTable.Scored> rows = new ArrayList<>();
    java.util.Random r = new java.util.Random(5);
    for (int country = 1; country <= 12; country++) {
      for (int year = 0; year < 6; year++) {
        rows.add(new MetricsTable.Scored(country, year, "y", Math.round(r.nextDouble() * 10) / 10.0, 1 + r.nextInt(40),
            r.nextDouble() < 0.3 ? 1 : 0));
      }
    }
    MetricsTable.Settings s = new MetricsTable.Settings(List.of(30), 30, List.of(0.04), 1, 11, 30, 0.95);
    double[][] one = MetricsTable.bootstrap(rows, s);
    java.util.SplittableRandom random = new java.util.SplittableRandom(11 * 0x9E3779B97F4A7C15L);
    List<MetricsTable.Scored> copied = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      int drawn = 1 + random.nextInt(12); // countries are numbered 1…12 in order of appearance
      rows.stream().filter(x -> x.unit() == drawn).forEach(copied::add);
    }
    double auc = Metrics.auc(copied.stream().mapToDouble(MetricsTable.Scored::risk).toArray(),
        copied.stream().mapToInt(MetricsTable.Scored::outcome).toArray());
    assertThat(one[0][0]).isCloseTo(auc, within(1e-12));
    assertThat(one[1][0]).isCloseTo(Metrics.recallAtK(copied.stream().mapToInt(MetricsTable.Scored::rank).toArray(),
        copied.stream().mapToInt(MetricsTable.Scored::outcome).toArray(), 30), within(1e-12));
  }

  @Test
  void metricColumnsAreNamedAsTheContractSays() {
    MetricsTable.Settings s = new MetricsTable.Settings(List.of(10, 20, 30), 30, List.of(0.025, 0.04), 10, 1, 30, 0.95);
    assertThat(MetricsTable.columns(s)).containsExactly("auc", "aupr", "brier", "log_loss", "recall_at_10",
        "recall_at_20", "recall_at_30", "precision_at_30", "share_above_0_025", "false_alarms_per_true_0_025",
        "share_above_0_04", "false_alarms_per_true_0_04", "risk_ratio", "brier_skill",
        "false_alarms_per_hit_at_30", "auc_lower", "auc_upper",
        "recall_at_30_lower", "recall_at_30_upper");
  }
}
