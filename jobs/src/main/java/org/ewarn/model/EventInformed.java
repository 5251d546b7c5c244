package org.ewarn.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An event-informed model ({@code elastic_net_events}, {@code random_forest_events}, …): the base
 * model trained on the EWP predictors plus event features of the same country-year (dated ≤ t,
 * {@code models.events.features}). The back-test joins those columns to its panel.
 */
public final class EventInformed implements RiskModel {
  private final String id;
  private final RiskModel base;
  private final List<String> eventFeatures;

  public EventInformed(String id, RiskModel base, List<String> eventFeatures) {
    this.id = id;
    this.base = base;
    this.eventFeatures = List.copyOf(eventFeatures);
  }

  @Override
  public String id() {
    return id;
  }

  public RiskModel base() {
    return base;
  }

  public List<String> eventFeatures() {
    return eventFeatures;
  }

  /** The inputs' features followed by the event features. */
  public ModelInputs widen(ModelInputs inputs) {
    List<String> all = new ArrayList<>(inputs.features());
    eventFeatures.stream().filter(f -> !all.contains(f)).forEach(all::add);
    return new ModelInputs(all, inputs.outcome(), inputs.seed());
  }

  @Override
  public FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs) {
    return base.fit(train, widen(inputs));
  }
}
