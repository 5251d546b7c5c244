package org.ewarn.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the coordinate-descent kernels: four vectors of four double lanes, so
 * element i (below the last multiple of 16) adds into partial sum i mod 16 with a multiply then an
 * add, and four independent chains hide the addition latency that one accumulator serialises.
 * The partial sums combine in a fixed tree, exactly as the scalar kernels of
 * {@link ElasticNetKernels} do, so both give the same bits. Loaded only when the
 * jdk.incubator.vector module is present.
 */
final class ElasticNetVectorKernels {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  private ElasticNetVectorKernels() {}

  static double dot(double[] a, double[] b) {
    int n = a.length;
    DoubleVector acc0 = DoubleVector.zero(S);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    int i = 0;
    int bound = n - n % 16;
    for (; i < bound; i += 16) {
      acc0 = acc0.add(DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)));
      acc1 = acc1.add(DoubleVector.fromArray(S, a, i + 4).mul(DoubleVector.fromArray(S, b, i + 4)));
      acc2 = acc2.add(DoubleVector.fromArray(S, a, i + 8).mul(DoubleVector.fromArray(S, b, i + 8)));
      acc3 = acc3.add(DoubleVector.fromArray(S, a, i + 12).mul(DoubleVector.fromArray(S, b, i + 12)));
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3));
    double s0 = acc.lane(0);
    for (; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  static double weightedSquares(double[] v, double[] c) {
    int n = v.length;
    DoubleVector acc0 = DoubleVector.zero(S);
    DoubleVector acc1 = acc0;
    DoubleVector acc2 = acc0;
    DoubleVector acc3 = acc0;
    int i = 0;
    int bound = n - n % 16;
    for (; i < bound; i += 16) {
      acc0 = acc0.add(squares(v, c, i));
      acc1 = acc1.add(squares(v, c, i + 4));
      acc2 = acc2.add(squares(v, c, i + 8));
      acc3 = acc3.add(squares(v, c, i + 12));
    }
    DoubleVector acc = acc0.add(acc1).add(acc2.add(acc3));
    double s0 = acc.lane(0);
    for (; i < n; i++) {
      s0 += v[i] * c[i] * c[i];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  private static DoubleVector squares(double[] v, double[] c, int i) {
    DoubleVector cv = DoubleVector.fromArray(S, c, i);
    return DoubleVector.fromArray(S, v, i).mul(cv).mul(cv);
  }
}
