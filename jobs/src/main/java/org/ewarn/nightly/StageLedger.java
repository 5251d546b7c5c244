package org.ewarn.nightly;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Optional;
import org.ewarn.warehouse.Storage;

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

  private final Storage state;

  StageLedger(Storage state) {
    this.state = state;
  }

  Optional<Entry> lastSuccess(String stage) {
    return state.readJson("stages/" + stage + ".json", Entry.class);
  }

  void recordSuccess(Entry entry) {
    state.writeJson("stages/" + entry.stage() + ".json", entry);
  }
}
