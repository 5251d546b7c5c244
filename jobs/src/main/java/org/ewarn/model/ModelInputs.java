package org.ewarn.model;

import java.io.Serializable;
import java.util.List;

/** What a model is trained on: feature columns, the 0/1 outcome column and the seed. */
public record ModelInputs(List<String> features, String outcome, long seed) implements Serializable {
  public ModelInputs {
    features = List.copyOf(features);
  }
}
