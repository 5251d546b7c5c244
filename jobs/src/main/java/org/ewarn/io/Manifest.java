package org.ewarn.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

// kept for ingest until it moves onto the module (org.ewarn.warehouse; see warehouse/MIGRATION.md)
/**
 * The {@code _MANIFEST.json} of one published partition. A partition without one does not exist
 * for readers; its input checksums, config hash and code version decide whether a stage can skip.
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

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Manifest read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable manifest " + file, e);
    }
  }
}
