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
   * Dot product with four independent partial sums: the summation order is fixed (so results are
   * reproducible) and the CPU can overlap the additions, which a single running sum serialises.
   */
  static double scalarDot(double[] a, double[] b) {
    int n = a.length;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ v·c² with the same four partial sums as {@link #scalarDot}. */
  static double scalarWeightedSquares(double[] v, double[] c) {
    int n = v.length;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += v[i] * c[i] * c[i];
      s1 += v[i + 1] * c[i + 1] * c[i + 1];
      s2 += v[i + 2] * c[i + 2] * c[i + 2];
      s3 += v[i + 3] * c[i + 3] * c[i + 3];
    }
    for (; i < n; i++) {
      s0 += v[i] * c[i] * c[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

}
