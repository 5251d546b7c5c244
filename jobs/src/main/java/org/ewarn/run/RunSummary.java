package org.ewarn.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON object every command prints as its last stdout line. Schedulers and notebooks parse
 * it, so its top-level keys are stable: status, command, run_id, outputs, counts (plus message and
 * details where present).
 */
public record RunSummary(
    String status,
    String command,
    String runId,
    Map<String, String> outputs,
    Map<String, Long> counts,
    String message,
    Map<String, Object> details) {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  public RunSummary {
    outputs = Map.copyOf(new LinkedHashMap<>(outputs));
    counts = Map.copyOf(new LinkedHashMap<>(counts));
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public static RunSummary ok(
      String command, String runId, Map<String, String> outputs, Map<String, Long> counts) {
    return new RunSummary("ok", command, runId, outputs, counts, null, Map.of());
  }

  public static RunSummary failed(String command, String runId, ExitCode code, String message) {
    String status =
        switch (code) {
          case QUALITY_GATE -> "quality_gate_failed";
          case LOCKED -> "locked";
          case USAGE_OR_CONFIG -> "config_error";
          default -> "failed";
        };
    return new RunSummary(status, command, runId, Map.of(), Map.of(), message, Map.of());
  }

  public RunSummary withDetails(Map<String, Object> more) {
    Map<String, Object> merged = new LinkedHashMap<>(details);
    merged.putAll(more);
    return new RunSummary(status, command, runId, outputs, counts, message, merged);
  }

  /** Keys sorted so that two runs with the same results print byte-identical lines. */
  public String toJsonLine() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("status", status);
    line.put("command", command);
    line.put("run_id", runId);
    line.put("outputs", new java.util.TreeMap<>(outputs));
    line.put("counts", new java.util.TreeMap<>(counts));
    if (message != null) {
      line.put("message", message);
    }
    if (!details.isEmpty()) {
      line.put("details", new java.util.TreeMap<>(details));
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run summary is not serialisable", e);
    }
  }
}
