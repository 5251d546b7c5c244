package org.ewarn.nightly;

import java.time.LocalDate;
import java.util.Map;
import org.ewarn.config.Settings;

/**
 * What a stage gets from the nightly runner: the settings, the run's identity and the outputs the
 * earlier stages produced (or recorded, when they were skipped), by output name.
 */
public record StageContext(
    Settings settings, String runId, LocalDate runDate, Map<String, String> upstreamOutputs) {
  public StageContext {
    upstreamOutputs = Map.copyOf(upstreamOutputs);
  }
}
