package org.ewarn.reports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a partition's {@code _MANIFEST.json} the report shows (appendix E) and uses to pick
 * the latest partition. Read with plain Jackson so this module does not depend on the Spark jobs
 * module that writes them (see {@code org.ewarn.io.Manifest}); unknown fields are ignored.
 */
record PartitionManifest(String dataset, String vintage, String stage, String runId,
    List<Input> inputs, List<String> upstream, Map<String, Long> counts, String codeVersion,
    String configHash, String started, String finished, Map<String, String> properties) {

  record Input(String path, long bytes, String sha256) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static PartitionManifest read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw RenderFailure.data("unreadable manifest " + file + ": " + e.getMessage());
    }
    List<Input> inputs = new ArrayList<>();
    n.path("inputs").forEach(i -> inputs.add(
        new Input(i.path("path").asText(), i.path("bytes").asLong(), i.path("sha256").asText(null))));
    List<String> upstream = new ArrayList<>();
    n.path("upstream").forEach(u -> upstream.add(u.asText()));
    Map<String, Long> counts = new TreeMap<>();
    n.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
    Map<String, String> properties = new TreeMap<>();
    n.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
    return new PartitionManifest(n.path("dataset").asText(null), n.path("vintage").asText(null),
        n.path("stage").asText(null), n.path("run_id").asText(null), List.copyOf(inputs),
        List.copyOf(upstream), counts, n.path("code_version").asText(null),
        n.path("config_hash").asText(null), n.path("started").asText(null),
        n.path("finished").asText(""), properties);
  }
}
