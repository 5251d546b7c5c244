package org.ewarn.model;

/**
 * The two reductions of the coordinate descent (a gradient is a dot product, a curvature a
 * weighted sum of squares), with four partial sums in a fixed order: the results are reproducible
 * and the CPU can overlap the additions, which one running sum serialises. When the JVM has the
 * jdk.incubator.vector module the same sums run as SIMD lanes ({@link ElasticNetVectorKernels}),
 * bit for bit equal.
 */
final class ElasticNetKernels {
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !Boolean.getBoolean("ewarn.scalar-kernels");

  private ElasticNetKernels() {}

  static double dot(double[] a, double[] b) {
    return VECTOR ? ElasticNetVectorKernels.dot(a, b) : scalarDot(a, b);
  }

  static double weightedSquares(double[] v, double[] c) {
    return VECTOR ? ElasticNetVectorKernels.weightedSquares(v, c) : scalarWeightedSquares(v, c);
  }

  /**
   * Dot product with sixteen partial sums (element i into sum i mod 16, the rest into the first)
   * combined in a fixed tree: the summation order is fixed, so results are reproducible, and the
   * CPU can overlap the additions, which a single running sum serialises.
   */
  static double scalarDot(double[] a, double[] b) {
    int n = a.length;
    double[] s = new double[16];
    int bound = n - n % 16;
    for (int i = 0; i < bound; i += 16) {
      for (int k = 0; k < 16; k++) {
        s[k] += a[i + k] * b[i + k];
      }
    }
    double s0 = lane(s, 0);
    for (int i = bound; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + lane(s, 1)) + (lane(s, 2) + lane(s, 3));
  }

  /** Σ v·c² with the same partial sums as {@link #scalarDot}. */
  static double scalarWeightedSquares(double[] v, double[] c) {
    int n = v.length;
    double[] s = new double[16];
    int bound = n - n % 16;
    for (int i = 0; i < bound; i += 16) {
      for (int k = 0; k < 16; k++) {
        s[k] += v[i + k] * c[i + k] * c[i + k];
      }
    }
    double s0 = lane(s, 0);
    for (int i = bound; i < n; i++) {
      s0 += v[i] * c[i] * c[i];
    }
    return (s0 + lane(s, 1)) + (lane(s, 2) + lane(s, 3));
  }

  /** Lane k of the vector tree ((acc0 + acc1) + (acc2 + acc3)). */
  private static double lane(double[] s, int k) {
    return (s[k] + s[4 + k]) + (s[8 + k] + s[12 + k]);
  }
}
