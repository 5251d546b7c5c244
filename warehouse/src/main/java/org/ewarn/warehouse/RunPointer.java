package org.ewarn.warehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code <output root>/latest.json}: the run whose products are current, and its outputs (name →
 * location). Switched by one atomic replace after every stage of a run has succeeded, so readers
 * resolving marts through it ({@link Warehouse#snapshot(RunPointer)}) see the previous complete run
 * until the new one is whole; a failed run never changes it. On object stores the replace is one
 * object write, visible whole.
 */
public record RunPointer(
    @JsonProperty("run_id") String runId,
    @JsonProperty("run_date") String runDate,
    @JsonProperty("published") String published,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("outputs") Map<String, String> outputs) {

  public static final String FILE = "latest.json";

  public RunPointer {
    outputs = outputs == null ? Map.of() : new TreeMap<>(outputs);
  }

  public static Optional<RunPointer> read(Storage outputRoot) {
    return outputRoot.readJson(FILE, RunPointer.class);
  }

  public void switchTo(Storage outputRoot) {
    outputRoot.writeJson(FILE, this);
  }

  public Instant publishedAt() {
    return Instant.parse(published);
  }
}
