package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The country bootstrap on data drawn from a known logistic model, so the true risk of every
 * scored row is known: the intervals cover it about as often as their level says, hold the point
 * estimate, narrow with more countries and repeat exactly with the same seed.
 */
class RiskIntervalsTest {
  static final double[] BETA = {1.2, -0.8, 0.0};
  static final double INTERCEPT = -2.5;

  static double truth(double[] row) {
    double eta = INTERCEPT;
    for (int j = 0; j < BETA.length; j++) {
      eta += BETA[j] * row[j];
    }
    return 1 / (1 + Math.exp(-eta));
  }

  /** {@code countries} x 8 years; the country's own effect makes its years correlated. */
  static Object[] sample(int countries, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = countries * 8;
    double[][] x = new double[n][3];
    double[] y = new double[n];
    int[] country = new int[n];
    for (int c = 0; c < countries; c++) {
      double level = r.nextGaussian() * 0.5;
      for (int t = 0; t < 8; t++) {
        int i = c * 8 + t;
        x[i] = new double[] {level + r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        y[i] = r.nextDouble() < truth(x[i]) ? 1 : 0;
        country[i] = c;
      }
    }
    return new Object[] {x, y, country};
  }

  static final double[][] SCORE = new double[40][];

  static {
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < SCORE.length; k++) {
      SCORE[k] = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
    }
  }

  static RiskIntervals.Result intervals(int countries, long dataSeed, long bootSeed, ElasticNetFit[] fitOut) {
    Object[] s = sample(countries, dataSeed);
    double[][] x = (double[][]) s[0];
    double[] y = (double[]) s[1];
    ElasticNetSettings settings = ElasticNetSettings.ewp(3);
    ElasticNetFit fit = ElasticNetCv.fit(x, y, settings);
    fitOut[0] = fit;
    return RiskIntervals.countryBootstrap(x, y, (int[]) s[2], SCORE, fit, settings, 100, 0.9, bootSeed);
  }

  @Test
  void intervalsCoverTheTrueRiskHoldThePointEstimateAndNarrowWithMoreCountries() {
    ElasticNetFit[] fit = new ElasticNetFit[1];
    int covered = 0;
    int holdsPoint = 0;
    int total = 0;
    double width = 0;
    for (long dataSeed = 1; dataSeed <= 4; dataSeed++) {
      RiskIntervals.Result r = intervals(150, dataSeed, 11, fit);
      assertThat(r.replicatesUsed()).isEqualTo(100);
      for (int k = 0; k < SCORE.length; k++) {
        assertThat(r.lower()[k]).isLessThanOrEqualTo(r.upper()[k]);
        covered += r.lower()[k] <= truth(SCORE[k]) && truth(SCORE[k]) <= r.upper()[k] ? 1 : 0;
        double point = fit[0].risk(SCORE[k]);
        holdsPoint += r.lower()[k] <= point && point <= r.upper()[k] ? 1 : 0;
        width += r.upper()[k] - r.lower()[k];
        total++;
      }
    }
    // nominal 90 %; the penalty shrinks a little towards the base rate, so allow some shortfall,
    // but an interval that ignored the sampling variation would cover far less
    assertThat((double) covered / total).isBetween(0.75, 1.0);
    assertThat((double) holdsPoint / total).isGreaterThan(0.95);

    double wideWidth = width / total;
    double narrow = 0;
    for (long dataSeed = 1; dataSeed <= 4; dataSeed++) {
      RiskIntervals.Result r = intervals(600, dataSeed, 11, fit);
      for (int k = 0; k < SCORE.length; k++) {
        narrow += r.upper()[k] - r.lower()[k];
      }
    }
    // four times the countries: about half the width (1/sqrt(4)); clearly narrower in any case
    assertThat(narrow / total).isLessThan(0.7 * wideWidth);
  }

  @Test
  void theSameSeedGivesTheSameIntervals() {
    ElasticNetFit[] fit = new ElasticNetFit[1];
    RiskIntervals.Result a = intervals(80, 5, 99, fit);
    RiskIntervals.Result b = intervals(80, 5, 99, fit);
    assertThat(a.lower()).containsExactly(b.lower());
    assertThat(a.upper()).containsExactly(b.upper());
    RiskIntervals.Result other = intervals(80, 5, 100, fit);
    assertThat(other.lower()).isNotEqualTo(a.lower());
  }
}
