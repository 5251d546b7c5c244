package org.ewarn.nightly;

import java.util.Map;
import java.util.TreeMap;

/** What a stage produced: output name → path, and row counts for the progress line and summary. */
public record StageOutcome(Map<String, String> outputs, Map<String, Long> counts) {
  public StageOutcome {
    outputs = new TreeMap<>(outputs);
    counts = new TreeMap<>(counts);
  }

  public long rows() {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith("rows") || e.getKey().endsWith("rows"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
