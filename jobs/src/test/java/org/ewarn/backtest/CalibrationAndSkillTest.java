package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reliability bins, the Brier skill score, the common sample and false alarms per hit, by hand. */
class CalibrationAndSkillTest {
  private static final MetricsTable.Settings SETTINGS =
      new MetricsTable.Settings(List.of(2), 2, List.of(0.5), 0, 1, 2, 0.95);

  private static MetricsTable.Scored row(int unit, int year, double risk, int rank, int outcome) {
    return new MetricsTable.Scored(unit, year, Integer.toString(year), risk, rank, outcome);
  }

  @Test
  void binsCountForecastsMeanRiskAndOnsetsPerRiskRange() {
    List<MetricsTable.Scored> rows = List.of(
        row(1, 2000, 0.001, 4, 0), row(2, 2000, 0.004, 3, 0), // bin 1 [0, 0.005)
        row(3, 2000, 0.005, 2, 1), // bin 2 [0.005, 0.2): the edge belongs to the upper bin
        row(4, 2000, 0.19, 1, 0),
        row(5, 2000, 1.0, 1, 1), // the last bin is closed
        row(6, 2000, Double.NaN, 0, 1)); // no forecast: not in any bin
    List<Calibration.Bin> bins = Calibration.table("m", "annual", "own", rows, List.of(0.0, 0.005, 0.2, 1.0), false);
    assertThat(bins).extracting(Calibration.Bin::forecasts).containsExactly(2L, 2L, 1L);
    assertThat(bins).extracting(Calibration.Bin::onsets).containsExactly(0L, 1L, 1L);
    assertThat(bins.get(0).meanRisk()).isCloseTo((0.001 + 0.004) / 2, within(1e-15));
    assertThat(bins.get(1).meanRisk()).isCloseTo((0.005 + 0.19) / 2, within(1e-15));
    assertThat(bins.get(2).low()).isEqualTo(0.2);
    assertThat(bins.get(2).high()).isEqualTo(1.0);

    List<Calibration.Bin> empty = Calibration.table("m", "annual", "own", List.of(row(1, 2000, 0.3, 1, 0)),
        List.of(0.0, 0.1, 1.0), false);
    assertThat(empty.get(0).forecasts()).isZero();
    assertThat(empty.get(0).meanRisk()).isNaN();
    Table t = Table.calibration(empty);
    assertThat(t.rows().get(0).isNullAt(t.schema().fieldIndex("observed_rate"))).isTrue();
    assertThat(t.rows().get(1).getDouble(t.schema().fieldIndex("observed_rate"))).isEqualTo(0.0);
  }

  @Test
  void edgesMustRiseFromZeroToOne() {
    assertThat(Calibration.invalid(List.of(0.0, 0.1, 1.0))).isNull();
    assertThat(Calibration.invalid(List.of(0.0, 0.1))).contains("from 0 to 1");
    assertThat(Calibration.invalid(List.of(0.0, 0.2, 0.2, 1.0))).contains("strictly rising");
    assertThat(Calibration.invalid(List.of(1.0))).contains("at least two");
  }

  @Test
  void brierSkillComparesWithTheReferenceOnTheSameCases() {
    List<MetricsTable.Scored> model = List.of(row(1, 2000, 0.8, 1, 1), row(2, 2000, 0.1, 2, 0),
        row(3, 2000, 0.3, 3, 0));
    // the reference did not forecast country 3: only countries 1 and 2 are compared
    List<MetricsTable.Scored> reference = List.of(row(1, 2000, 0.5, 1, 1), row(2, 2000, 0.5, 2, 0));
    double own = (0.2 * 0.2 + 0.1 * 0.1) / 2;
    double ref = (0.5 * 0.5 + 0.5 * 0.5) / 2;
    List<MetricsTable.Row> rows = MetricsTable.table("m", "annual", "own", model, reference, SETTINGS, false);
    assertThat(rows.get(0).values().get("brier_skill")).isCloseTo(1 - own / ref, within(1e-12));
    assertThat(MetricsTable.table("r", "annual", "own", reference, reference, SETTINGS, false).get(0).values()
        .get("brier_skill")).isEqualTo(0.0);
    assertThat(MetricsTable.table("m", "annual", model, SETTINGS, false).get(0).values().get("brier_skill")).isNaN();
  }

  @Test
  void falseAlarmsPerHitCountTheTopK() {
    // top 2 (k = 2): ranks 1 and 2, one onset -> one false alarm per hit; rank 3 is not flagged
    List<MetricsTable.Scored> model = List.of(row(1, 2000, 0.8, 1, 1), row(2, 2000, 0.6, 2, 0),
        row(3, 2000, 0.3, 3, 1));
    assertThat(MetricsTable.table("m", "annual", model, SETTINGS, false).get(0).values()
        .get("false_alarms_per_hit_at_2")).isEqualTo(1.0);
    assertThat(Metrics.falseAlarmsPerHitAtK(new int[] {1, 2}, new int[] {0, 0}, 2)).isNaN();
  }

  @Test
  void theCommonSampleKeepsTheCasesEverySourceForecast() {
    List<MetricsTable.Scored> a = List.of(row(1, 2000, 0.1, 1, 0), row(1, 2001, 0.2, 1, 0), row(2, 2000, 0.3, 1, 1));
    List<MetricsTable.Scored> b = List.of(row(1, 2001, 0.5, 1, 0), row(2, 2000, Double.NaN, 0, 1),
        row(2, 2001, 0.4, 1, 0));
    Map<String, List<MetricsTable.Scored>> common = MetricsTable.commonSample(Map.of("a", a, "b", b));
    assertThat(common.get("a")).containsExactly(a.get(1));
    assertThat(common.get("b")).containsExactly(b.get(0));
  }
}
