package org.ewarn.nightly;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <output.root>/latest.json}: which run's products are current. Switched by one atomic
 * rename after every stage of a run has succeeded, so readers see the previous complete run until
 * the new one is whole, and a failed run never changes it.
 */
public record LatestPointer(
    @JsonProperty("run_id") String runId,
    @JsonProperty("run_date") String runDate,
    @JsonProperty("published") String published,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("outputs") Map<String, String> outputs) {

  public static final String FILE = "latest.json";

  public static Optional<LatestPointer> read(Path outputRoot) {
    Path file = outputRoot.resolve(FILE);
    return Files.isRegularFile(file)
        ? Optional.of(StateFiles.readJson(file, LatestPointer.class))
        : Optional.empty();
  }

  void switchTo(Path outputRoot) {
    StateFiles.writeJson(outputRoot.resolve(FILE), this);
  }
}
