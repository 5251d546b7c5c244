package org.ewarn.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the coordinate-descent kernels (four double lanes). Lane k sums the elements
 * i ≡ k (mod 4) with a multiply then an add, and the lanes are combined as (l0 + l1) + (l2 + l3):
 * exactly the order of the scalar kernels in {@link ElasticNetKernels}, so both give the same
 * bits. Loaded only when the jdk.incubator.vector module is present.
 */
final class ElasticNetVectorKernels {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  private ElasticNetVectorKernels() {}

  static double dot(double[] a, double[] b) {
    int n = a.length;
    DoubleVector acc = DoubleVector.zero(S);
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += 4) {
      acc = acc.add(DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)));
    }
    double s0 = acc.lane(0);
    for (; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }

  static double weightedSquares(double[] v, double[] c) {
    int n = v.length;
    DoubleVector acc = DoubleVector.zero(S);
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += 4) {
      DoubleVector cv = DoubleVector.fromArray(S, c, i);
      acc = acc.add(DoubleVector.fromArray(S, v, i).mul(cv).mul(cv));
    }
    double s0 = acc.lane(0);
    for (; i < n; i++) {
      s0 += v[i] * c[i] * c[i];
    }
    return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
  }
}
