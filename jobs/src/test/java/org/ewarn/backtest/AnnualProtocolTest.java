package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The rank and warning construction on a synthetic three-country history, with a model whose
 * risk is simply its first predictor so every number below can be worked out by hand.
 */
class AnnualProtocolTest {
  static final double NA = Double.NaN;

  /** Countries 10, 20, 30 in 1990…1996; x = 0.1 for 10, 0.2/0.05 (even/odd years) for 20, 0.2 for 30. */
  static CountryYears history() {
    List<int[]> keys = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<Double> outcome = new ArrayList<>();
    List<Double> onset = new ArrayList<>();
    for (int year = 1990; year <= 1996; year++) {
      for (int c : new int[] {10, 20, 30}) {
        keys.add(new int[] {year, c});
        double x = c == 10 ? 0.1 : c == 30 ? 0.2 : (year % 2 == 0 ? 0.2 : 0.05);
        xs.add(new double[] {x, 1.0});
        onset.add(c == 20 && year == 1995 ? 1.0 : 0.0);
        outcome.add(c == 10 && year == 1991 ? NA : (c == 20 && (year == 1993 || year == 1994) ? 1.0 : 0.0));
      }
    }
    int n = keys.size();
    return new CountryYears(keys.stream().mapToInt(k -> k[0]).toArray(), keys.stream().mapToInt(k -> k[1]).toArray(),
        keys.stream().map(k -> "country " + k[1]).toArray(String[]::new), xs.toArray(double[][]::new),
        outcome.stream().mapToDouble(Double::doubleValue).toArray(),
        onset.stream().mapToDouble(Double::doubleValue).toArray(), List.of("x", "one"));
  }

  @Test
  void forecastsTrainOnCompleteRowsUpToTheOriginAndRankWithTiesAtTheLowestRank() {
    Map<Integer, Integer> trainingRows = new ConcurrentHashMap<>();
    AnnualProtocol.Trainer firstPredictor = (x, y) -> {
      trainingRows.merge(x.length, 1, Integer::sum);
      return row -> row[0];
    };
    AnnualProtocol.Window window = new AnnualProtocol.Window(1990, 1994, 2, 1994);
    List<Forecast> f = AnnualProtocol.forecasts("toy", history(), window, firstPredictor);
    // L = 1990: 3 rows; 1991: 6 − 1 (outcome NA) = 5; then +3 a year
    assertThat(trainingRows).containsOnlyKeys(3, 5, 8, 11, 14);
    assertThat(f).hasSize(15);
    // made in 1994 (an even year): 20 and 30 tie at 0.2 → both rank 1, country 10 rank 3
    assertThat(f.stream().filter(x -> x.year() == 1994).map(x -> x.ccode() + ":" + x.rank()).toList())
        .containsExactly("10:3", "20:1", "30:1");
    assertThat(f.stream().filter(x -> x.year() == 1993).map(x -> x.ccode() + ":" + x.rank()).toList())
        .containsExactly("10:2", "20:3", "30:1");
    assertThat(f.get(0).origin()).isEqualTo(1990);
    assertThat(f.get(0).year()).isEqualTo(1992);
  }

  @Test
  void warningsTakeTheLargerRiskAndSmallerRankOfTheTwoYearsBefore() {
    AnnualProtocol.Window window = new AnnualProtocol.Window(1990, 1994, 2, 1994);
    CountryYears panel = history();
    List<Forecast> f = AnnualProtocol.forecasts("toy", panel, window, (x, y) -> row -> row[0]);
    List<Warning> w = AnnualProtocol.warnings("toy", f, panel, window);
    assertThat(w).hasSize(9); // 1994…1996 × 3 countries
    Warning onset = w.stream().filter(x -> x.ccode() == 20 && x.year() == 1995).findFirst().orElseThrow();
    // made 1994: risk 0.2, rank 1; made 1993: risk 0.05, rank 3
    assertThat(onset).isEqualTo(new Warning("toy", 1995, "country 20", 20, 1, 0.2, 1, 0.05, 3, 0.2, 1));
    Warning first = w.get(0);
    // 1994, country 10: made 1993 (0.1, rank 2) and 1992 (0.1, rank 3)
    assertThat(first).isEqualTo(new Warning("toy", 1994, "country 10", 10, 0, 0.1, 2, 0.1, 3, 0.1, 2));

    List<MetricsTable.Scored> scored = MetricsTable.fromWarnings(w);
    assertThat(Metrics.recallAtK(scored.stream().mapToInt(MetricsTable.Scored::rank).toArray(),
        scored.stream().mapToInt(MetricsTable.Scored::outcome).toArray(), 1)).isEqualTo(1.0);
  }

  @Test
  void casesCountConsecutiveFlaggedYearsBeforeTheOnset() {
    AnnualProtocol.Window window = new AnnualProtocol.Window(1990, 1994, 2, 1994);
    CountryYears panel = history();
    List<Forecast> f = AnnualProtocol.forecasts("toy", panel, window, (x, y) -> row -> row[0]);
    List<Warning> w = AnnualProtocol.warnings("toy", f, panel, window);
    // flagged = rank ≤ 1: country 20 is rank 1 in even years only (1994), rank 3 in 1993
    List<Timeliness.Case> cases = Timeliness.cases("toy", f, Timeliness.onsets(w),
        Map.of(AnnualProtocol.key(1995, 20), "toy episode"), new Timeliness.Flagging(1, Double.NaN, 5));
    assertThat(cases).containsExactly(new Timeliness.Case("toy", "country 20", 20, 1995, "toy episode", 1, 3, 0.2,
        0.05, true, false, 1, 1994, false, false));
    // with a risk rule of ≥ 0.05 every forecast for 20 flags: made 1992, 1993, 1994 → lead 3
    List<Timeliness.Case> byRisk = Timeliness.cases("toy", f, Timeliness.onsets(w), Map.of(),
        new Timeliness.Flagging(0, 0.05, 3));
    assertThat(byRisk.get(0).leadTime()).isEqualTo(3);
    assertThat(byRisk.get(0).firstCrossing()).isEqualTo(1992);
    assertThat(byRisk.get(0).chronic()).isTrue();
    assertThat(Timeliness.leadTimes("toy", byRisk)).containsExactly(new Timeliness.LeadTime("toy", 3, 1));
  }
}
