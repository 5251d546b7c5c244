package org.ewarn.nightly;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One nightly run as recorded in {@code <state>/runs/<run-id>/run.json}: updated after every
 * stage, so a killed run still tells how far it got. {@code status} is running, failed or
 * published.
 */
public record RunRecord(
    @JsonProperty("run_id") String runId,
    @JsonProperty("run_date") String runDate,
    @JsonProperty("status") String status,
    @JsonProperty("started") String started,
    @JsonProperty("finished") String finished,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("stages") List<StageReport> stages,
    @JsonProperty("outputs") Map<String, String> outputs,
    @JsonProperty("failure") String failure) {

  /** What happened to one stage in this run: ran, skipped (unchanged), failed or unavailable. */
  public record StageReport(
      @JsonProperty("stage") String stage,
      @JsonProperty("status") String status,
      @JsonProperty("seconds") double seconds,
      @JsonProperty("fingerprint") String fingerprint,
      @JsonProperty("produced_by_run") String producedByRun,
      @JsonProperty("outputs") Map<String, String> outputs,
      @JsonProperty("counts") Map<String, Long> counts,
      @JsonProperty("message") String message) {}
}
