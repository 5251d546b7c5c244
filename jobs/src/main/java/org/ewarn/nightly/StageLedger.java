package org.ewarn.nightly;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The last successful run of each stage, under {@code <state>/stages/<stage>.json}. Written only
 * after the stage succeeded, so a stage killed half-way has no record and runs again.
 */
final class StageLedger {
  record Entry(
      @JsonProperty("stage") String stage,
      @JsonProperty("fingerprint") String fingerprint,
      @JsonProperty("run_id") String runId,
      @JsonProperty("run_date") String runDate,
      @JsonProperty("finished") String finished,
      @JsonProperty("code_version") String codeVersion,
      @JsonProperty("config_hash") String configHash,
      @JsonProperty("inputs") Map<String, String> inputs,
      @JsonProperty("outputs") Map<String, String> outputs,
      @JsonProperty("counts") Map<String, Long> counts) {}

  private final Path dir;

  StageLedger(Path stateDir) {
    this.dir = stateDir.resolve("stages");
  }

  Optional<Entry> lastSuccess(String stage) {
    Path file = dir.resolve(stage + ".json");
    return Files.isRegularFile(file) ? Optional.of(StateFiles.readJson(file, Entry.class)) : Optional.empty();
  }

  void recordSuccess(Entry entry) {
    StateFiles.writeJson(dir.resolve(entry.stage() + ".json"), entry);
  }
}
