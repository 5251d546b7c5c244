package org.ewarn.warehouse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code _MANIFEST.json} of one published partition, field for field as the jobs have always
 * written it. A partition without one does not exist for readers; its input checksums, config hash
 * and code version decide whether a stage can skip.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    @JsonProperty("dataset") String dataset,
    @JsonProperty("vintage") String vintage,
    @JsonProperty("stage") String stage,
    @JsonProperty("run_id") String runId,
    @JsonProperty("inputs") List<InputFile> inputs,
    @JsonProperty("upstream") List<String> upstream,
    @JsonProperty("counts") Map<String, Long> counts,
    @JsonProperty("warnings") List<String> warnings,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("config_hash") String configHash,
    @JsonProperty("started") String started,
    @JsonProperty("finished") String finished,
    @JsonProperty("properties") Map<String, String> properties) {

  public Manifest {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
    counts = counts == null ? Map.of() : new TreeMap<>(counts);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    properties = properties == null ? Map.of() : new TreeMap<>(properties);
  }

  /** One input file as it was read: a changed checksum means new data. */
  public record InputFile(
      @JsonProperty("path") String path,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256) {}

  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /**
   * When the partition was finished, for the latest-partition rule; a manifest without a readable
   * time sorts before every other.
   */
  public Instant finishedAt() {
    try {
      return finished == null || finished.isEmpty() ? Instant.MIN : Instant.parse(finished);
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }

  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Manifest parse(byte[] json) throws IOException {
    return Json.MAPPER.readValue(json, Manifest.class);
  }
}
