package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ElasticNetKernelsTest {
  @Test
  void simdAndScalarKernelsGiveTheSameBits() {
    assertThat(ElasticNetKernels.VECTOR).as("surefire runs with --add-modules=jdk.incubator.vector").isTrue();
    Random r = new Random(4);
    for (int n = 0; n < 40; n++) {
      double[] a = r.doubles(n, -3, 3).toArray();
      double[] b = r.doubles(n, -1e3, 1e3).toArray();
      double[] v = r.doubles(n, 0, 0.25).toArray();
      assertThat(ElasticNetVectorKernels.dot(a, b)).isEqualTo(ElasticNetKernels.scalarDot(a, b));
      assertThat(ElasticNetVectorKernels.weightedSquares(v, a)).isEqualTo(ElasticNetKernels.scalarWeightedSquares(v, a));
    }
    // and the scalar kernel is a dot product: Σ aᵢbᵢ on a case checked by hand
    assertThat(ElasticNetKernels.scalarDot(new double[] {1, 2, 3, 4, 5}, new double[] {5, 4, 3, 2, 1})).isEqualTo(35.0);
    assertThat(ElasticNetKernels.scalarWeightedSquares(new double[] {0.5, 2}, new double[] {2, 3})).isEqualTo(20.0);
  }
}
