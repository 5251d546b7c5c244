package org.ewarn.model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trained XGBoost trees held as the booster's own serialised model (UBJSON, which stores every
 * split and leaf as the float32 XGBoost computed with), plus the booster loaded from those bytes.
 * Everything scores from the bytes, so a model and its reloaded copy give bit-identical risks; the
 * object is serialisable (Spark ships it to the tasks of {@link XGBoostTreesModel#score}) and
 * reloads its booster after deserialisation.
 */
public final class TrainedTrees implements Serializable {
  static final String FORMAT = "ubj";

  private final byte[] model;
  private final int features;
  private transient Booster booster;

  private TrainedTrees(byte[] model, int features) {
    this.model = model.clone();
    this.features = features;
    this.booster = load(this.model);
  }

  static TrainedTrees of(byte[] model, int features) {
    return new TrainedTrees(model, features);
  }

  byte[] bytes() {
    return model.clone();
  }

  int features() {
    return features;
  }

  /** The probability of the outcome for one complete row of the training features, in their order. */
  public double risk(double[] row) {
    return risks(new double[][] {row})[0];
  }

  /** Risks of several rows in one native call. */
  public double[] risks(double[][] rows) {
    if (rows.length == 0) {
      return new double[0];
    }
    float[] flat = new float[rows.length * features];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != features) {
        throw new IllegalArgumentException("a row of " + rows[i].length + " values for trees of " + features
            + " features");
      }
      for (int j = 0; j < features; j++) {
        flat[i * features + j] = (float) rows[i][j];
      }
    }
    float[][] predicted;
    try {
      // predictions on one booster from several threads (Spark tasks, back-test origins) are not
      // documented as safe in the Java binding: one at a time
      synchronized (this) {
        predicted = booster.inplace_predict(flat, rows.length, features, Float.NaN);
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
    double[] out = new double[rows.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = predicted[i][0];
    }
    return out;
  }

  private static Booster load(byte[] model) {
    try {
      return XGBoost.loadModel(model);
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("cannot load the XGBoost model: " + e.getMessage(), e);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    booster = load(model);
  }
}
