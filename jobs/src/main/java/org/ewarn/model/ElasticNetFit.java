package org.ewarn.model;

import java.io.Serializable;

/**
 * A cross-validated elastic-net logistic regression: coefficients on the original scale of the
 * predictors at the chosen λ (lambda.min), plus the path and its cross-validated deviance.
 *
 * @param lambdas the λ path that was cross-validated (glmnet may end it early)
 * @param cvDeviance mean held-out binomial deviance per row at each λ of the path
 */
public record ElasticNetFit(
    double intercept,
    double[] coefficients,
    double lambda,
    double[] lambdas,
    double[] cvDeviance,
    int rows,
    int positives)
    implements Serializable {

  /** Linear predictor, summed in a fixed order so every caller gets the same bits. */
  public double link(double[] row) {
    double eta = intercept;
    for (int j = 0; j < coefficients.length; j++) {
      eta += coefficients[j] * row[j];
    }
    return eta;
  }

  /** Predicted probability of the outcome for one row of predictors (in training order). */
  public double risk(double[] row) {
    // StrictMath: the same exp as Spark's exp(), so Spark scoring gives identical bits
    return 1.0 / (1.0 + StrictMath.exp(-link(row)));
  }

  public int nonZero() {
    int k = 0;
    for (double c : coefficients) {
      if (c != 0) {
        k++;
      }
    }
    return k;
  }
}
