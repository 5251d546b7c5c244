package org.ewarn.model;

import java.io.Serializable;
import org.ewarn.config.Settings;

/**
 * The EWP elastic-net specification ({@code models.elastic-net} in
 * {@code conf/models-elastic-net.conf}): mixing α, number of cross-validation folds, λ path length
 * and depth, convergence threshold and the seed of the fold assignment.
 *
 * @param lambdaMinRatio the smallest λ as a share of λ_max; NaN = glmnet's default (1e-4 when
 *     rows exceed predictors, else 1e-2)
 */
public record ElasticNetSettings(
    double alpha,
    int folds,
    int lambdaCount,
    double lambdaMinRatio,
    double threshold,
    int maxIterations,
    long seed)
    implements Serializable {

  public ElasticNetSettings {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
    }
    if (folds < 3) {
      throw new IllegalArgumentException("folds must be at least 3 (as in cv.glmnet), got " + folds);
    }
    if (lambdaCount < 2) {
      throw new IllegalArgumentException("lambda-count must be at least 2, got " + lambdaCount);
    }
  }

  /** glmnet / cv.glmnet defaults with the EWP mixing α = 0.5. */
  public static ElasticNetSettings ewp(long seed) {
    return new ElasticNetSettings(0.5, 10, 100, Double.NaN, 1.0e-7, 10_000_000, seed);
  }

  public ElasticNetSettings withSeed(long newSeed) {
    return new ElasticNetSettings(
        alpha, folds, lambdaCount, lambdaMinRatio, threshold, maxIterations, newSeed);
  }

  public ElasticNetSettings withLambdaMinRatio(double ratio) {
    return new ElasticNetSettings(alpha, folds, lambdaCount, ratio, threshold, maxIterations, seed);
  }

  public ElasticNetSettings withThreshold(double newThreshold) {
    return new ElasticNetSettings(
        alpha, folds, lambdaCount, lambdaMinRatio, newThreshold, maxIterations, seed);
  }

  /** Binds {@code models.elastic-net}; errors name the key and the file it came from. */
  public static ElasticNetSettings from(Settings settings) {
    String s = "models.elastic-net.";
    String ratioKey = s + "lambda-min-ratio";
    double ratio =
        settings.raw().getValue(ratioKey).unwrapped() instanceof String text
                && text.equalsIgnoreCase("auto")
            ? Double.NaN
            : settings.number(ratioKey, 1e-12, 0.999);
    try {
      return new ElasticNetSettings(
          settings.number(s + "alpha", 1e-6, 1.0),
          settings.integer(s + "folds", 3, 1000),
          settings.integer(s + "lambda-count", 2, 10_000),
          ratio,
          settings.number(s + "threshold", 1e-16, 1e-2),
          settings.integer(s + "max-iterations", 1000, Integer.MAX_VALUE),
          settings.longValue(s + "seed", 0));
    } catch (IllegalArgumentException e) {
      throw settings.problem("models.elastic-net", e.getMessage());
    }
  }
}
