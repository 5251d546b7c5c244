package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElasticNetCvTest {

  /** y ~ Bernoulli(sigmoid(-1 + 0.8 x1 - 0.5 x2 + 0.2 x3)), not separable. */
  static double[][] features(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][3];
    for (int i = 0; i < n; i++) {
      x[i][0] = r.nextGaussian();
      x[i][1] = r.nextDouble() < 0.3 ? 1 : 0;
      x[i][2] = 2 + 3 * r.nextGaussian();
    }
    return x;
  }

  static double[] outcomes(double[][] x, long seed) {
    Random r = new Random(seed + 1);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double eta = -1 + 0.8 * x[i][0] - 0.5 * x[i][1] + 0.2 * x[i][2];
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    return y;
  }

  /**
   * The KKT conditions of −(1/n)loglik + λ(α|β|₁ + (1−α)/2‖β‖²) on standardised predictors,
   * computed here from the raw data: for β_j ≠ 0, g_j − λ(1−α)β_j = λα·sign(β_j); for β_j = 0,
   * |g_j| ≤ λα; and Σ(y − p) = 0 for the unpenalised intercept.
   */
  static void assertKkt(double[][] x, double[] y, double lambda, double alpha, double b0, double[] betaStd) {
    int n = x.length;
    int p = x[0].length;
    double[] mean = new double[p];
    double[] sd = new double[p];
    for (int j = 0; j < p; j++) {
      for (double[] row : x) {
        mean[j] += row[j] / n;
      }
      for (double[] row : x) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
      sd[j] = Math.sqrt(sd[j]);
    }
    double[] resid = new double[n];
    double sumResid = 0;
    for (int i = 0; i < n; i++) {
      double eta = b0;
      for (int j = 0; j < p; j++) {
        eta += betaStd[j] * (x[i][j] - mean[j]) / sd[j];
      }
      resid[i] = y[i] - 1 / (1 + Math.exp(-eta));
      sumResid += resid[i];
    }
    assertThat(sumResid / n).isCloseTo(0.0, within(1e-5));
    for (int j = 0; j < p; j++) {
      double g = 0;
      for (int i = 0; i < n; i++) {
        g += resid[i] * (x[i][j] - mean[j]) / sd[j] / n;
      }
      if (betaStd[j] != 0) {
        assertThat(g - lambda * (1 - alpha) * betaStd[j])
            .as("stationarity of active coefficient %d", j)
            .isCloseTo(lambda * alpha * Math.signum(betaStd[j]), within(1e-5));
      } else {
        assertThat(Math.abs(g)).as("inactive coefficient %d", j).isLessThanOrEqualTo(lambda * alpha + 1e-7);
      }
    }
  }

  @Test
  void solutionsAlongThePathSatisfyTheKktConditions() {
    double[][] x = features(300, 7);
    double[] y = outcomes(x, 7);
    ElasticNetSettings s = ElasticNetSettings.ewp(1).withThreshold(1e-12);
    int[] all = java.util.stream.IntStream.range(0, x.length).toArray();
    double lambdaMax = ElasticNetPath.lambdaMax(ElasticNetPath.Standardised.of(x, all, 3), y, 0.5);
    double[] path = ElasticNetPath.lambdaPath(lambdaMax, 30, 1e-3);
    ElasticNetPath.Solutions sol = ElasticNetCv.path(x, y, path, s);
    assertThat(sol.size()).isEqualTo(30);
    // at λ_max everything is zero, just below it something enters
    assertThat(sol.betas()[0]).containsOnly(0.0);
    assertThat(Arrays.stream(sol.betas()[1]).filter(b -> b != 0).count()).isGreaterThan(0);
    for (int l : new int[] {0, 3, 10, 20, 29}) {
      assertKkt(x, y, path[l], 0.5, sol.intercepts()[l], sol.betas()[l]);
    }
  }

  @Test
  void separableDataGiveAFinitePenalisedSolutionThatSatisfiesKkt() {
    // y = 1 exactly when x1 > 0: the unpenalised MLE does not exist, the penalised one does
    double[][] x = {{-2, 1}, {-1, 0}, {-0.5, 1}, {-0.2, 0}, {0.3, 1}, {0.7, 0}, {1.1, 1}, {2.5, 0}};
    double[] y = {0, 0, 0, 0, 1, 1, 1, 1};
    ElasticNetSettings s = ElasticNetSettings.ewp(1).withThreshold(1e-12);
    int[] all = java.util.stream.IntStream.range(0, x.length).toArray();
    double lambdaMax = ElasticNetPath.lambdaMax(ElasticNetPath.Standardised.of(x, all, 2), y, 0.5);
    double[] path = ElasticNetPath.lambdaPath(lambdaMax, 20, 1e-2);
    ElasticNetPath.Solutions sol = ElasticNetCv.path(x, y, path, s);
    for (int l = 0; l < sol.size(); l++) {
      assertThat(sol.betas()[l][0]).isFinite().isGreaterThanOrEqualTo(0);
      assertKkt(x, y, path[l], 0.5, sol.intercepts()[l], sol.betas()[l]);
    }
    // λ_max by hand: x1 standardised, (1/n)|Σ x_std (y − ȳ)| / α
    double mean = Arrays.stream(x).mapToDouble(r -> r[0]).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(x).mapToDouble(r -> (r[0] - mean) * (r[0] - mean)).sum() / 8);
    double g = 0;
    for (int i = 0; i < 8; i++) {
      g += (x[i][0] - mean) / sd * (y[i] - 0.5) / 8;
    }
    assertThat(lambdaMax).isCloseTo(Math.abs(g) / 0.5, within(1e-12));
  }

  @Test
  void crossValidationIsDeterministicBySeedAndPicksTheLowestDeviance() {
    double[][] x = features(500, 11);
    double[] y = outcomes(x, 11);
    ElasticNetFit a = ElasticNetCv.fit(x, y, ElasticNetSettings.ewp(42));
    ElasticNetFit b = ElasticNetCv.fit(x, y, ElasticNetSettings.ewp(42));
    assertThat(a.coefficients()).containsExactly(b.coefficients());
    assertThat(a.intercept()).isEqualTo(b.intercept());
    assertThat(a.lambda()).isEqualTo(b.lambda());
    double min = Arrays.stream(a.cvDeviance()).min().orElseThrow();
    int first = 0;
    while (a.cvDeviance()[first] > min) {
      first++;
    }
    assertThat(a.lambda()).isEqualTo(a.lambdas()[first]);
    // the true model has all three effects: lambda.min keeps them, with the right signs
    assertThat(a.coefficients()[0]).isPositive();
    assertThat(a.coefficients()[1]).isNegative();
    assertThat(a.coefficients()[2]).isPositive();
    assertThat(a.rows()).isEqualTo(500);
  }

  @Test
  void foldsAreBalancedAndSeeded() {
    int[] f = ElasticNetCv.foldIds(95, 10, 3);
    int[] counts = new int[11];
    for (int id : f) {
      counts[id]++;
    }
    assertThat(Arrays.copyOfRange(counts, 1, 11)).containsOnly(9, 10);
    assertThat(ElasticNetCv.foldIds(95, 10, 3)).containsExactly(f);
    assertThat(ElasticNetCv.foldIds(95, 10, 4)).isNotEqualTo(f);
  }

  @Test
  void incompleteRowsAreLeftOut() {
    double[][] x = features(200, 5);
    double[] y = outcomes(x, 5);
    double[][] withGaps = Arrays.copyOf(x, 203);
    double[] yGaps = Arrays.copyOf(y, 203);
    withGaps[200] = new double[] {Double.NaN, 1, 1};
    withGaps[201] = new double[] {0, 1, 1};
    yGaps[201] = Double.NaN;
    withGaps[202] = new double[] {0, Double.NaN, 1};
    ElasticNetFit clean = ElasticNetCv.fit(x, y, ElasticNetSettings.ewp(1));
    ElasticNetFit gappy = ElasticNetCv.fit(withGaps, yGaps, ElasticNetSettings.ewp(1));
    assertThat(gappy.rows()).isEqualTo(200);
    assertThat(gappy.coefficients()).containsExactly(clean.coefficients());
  }

  @Test
  void aFoldWhoseTrainingRowsHaveOneClassIsLeftOutOfTheCrossValidation() {
    // one positive in 300 rows: the fold holding it out trains on negatives only
    double[][] x = features(300, 9);
    double[] y = new double[300];
    y[17] = 1;
    ElasticNetFit fit = ElasticNetCv.fit(x, y, ElasticNetSettings.ewp(3));
    assertThat(fit.positives()).isEqualTo(1);
    assertThat(Arrays.stream(fit.cvDeviance()).allMatch(d -> Double.isFinite(d) && d > 0)).isTrue();
    assertThat(fit.lambdas()).contains(fit.lambda());

    double[] none = new double[300];
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ElasticNetCv.fit(x, none, ElasticNetSettings.ewp(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one class");
  }
}
