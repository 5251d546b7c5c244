package org.ewarn.nightly;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ewarn.config.Settings;

/**
 * Everything a stage's result depends on, hashed: the code version, its configuration sections, the
 * checksums of the files those sections name, and the outputs of the stages before it. Equal
 * fingerprints mean re-running the stage would reproduce what it already published.
 */
record Fingerprint(String value, String configHash, Map<String, String> inputChecksums) {

  static Fingerprint of(
      Stage stage,
      Settings settings,
      String codeVersion,
      Map<String, String> upstreamOutputs,
      ChecksumCache checksums,
      List<Path> notInputs) {
    // Settings.hash() of no section hashes everything; a stage without configuration depends on none.
    String configHash = stage.configSections().isEmpty()
        ? org.ewarn.warehouse.Checksums.sha256("")
        : settings.hash(stage.configSections().toArray(String[]::new));
    Map<String, String> inputs = new TreeMap<>();
    TreeSet<Path> files = new TreeSet<>(inputFiles(settings, stage.configSections(), notInputs));
    stage.inputFiles(settings).forEach(f -> files.add(f.toAbsolutePath().normalize()));
    for (Path file : files) {
      inputs.put(file.toString(), checksums.sha256(file));
    }
    StringBuilder canonical = new StringBuilder()
        .append("stage=").append(stage.name()).append('\n')
        .append("code=").append(codeVersion).append('\n')
        .append("config=").append(configHash).append('\n');
    inputs.forEach((k, v) -> canonical.append("input ").append(k).append('=').append(v).append('\n'));
    new TreeMap<>(upstreamOutputs)
        .forEach((k, v) -> canonical.append("upstream ").append(k).append('=').append(v).append('\n'));
    return new Fingerprint(org.ewarn.warehouse.Checksums.sha256(canonical.toString()), configHash, inputs);
  }

  /**
   * The existing files named by string values in the given sections (folders expand to the files
   * in them). Paths under the warehouse or output roots are outputs, not inputs: changes there
   * reach a stage through its upstream outputs.
   */
  static List<Path> inputFiles(Settings settings, List<String> sections, List<Path> notInputs) {
    TreeSet<Path> files = new TreeSet<>();
    for (String section : sections) {
      if (!settings.has(section)) {
        continue;
      }
      Config part = settings.raw().getConfig(section);
      for (Map.Entry<String, ConfigValue> e : part.entrySet()) {
        ConfigValue v = e.getValue();
        if (v.valueType() == ConfigValueType.STRING) {
          addIfFile(settings, (String) v.unwrapped(), files, notInputs);
        } else if (v.valueType() == ConfigValueType.LIST) {
          for (Object item : (List<?>) v.unwrapped()) {
            if (item instanceof String s) {
              addIfFile(settings, s, files, notInputs);
            }
          }
        }
      }
    }
    return List.copyOf(files);
  }

  private static void addIfFile(Settings settings, String value, TreeSet<Path> files, List<Path> notInputs) {
    if (value.isBlank() || value.contains("\n") || !(value.contains("/") || value.contains("."))) {
      return;
    }
    Path p;
    try {
      p = Path.of(value);
    } catch (java.nio.file.InvalidPathException notAPath) {
      return;
    }
    p = (p.isAbsolute() ? p : settings.projectHome().resolve(p)).toAbsolutePath().normalize();
    for (Path excluded : notInputs) {
      if (p.startsWith(excluded)) {
        return;
      }
    }
    if (Files.isRegularFile(p)) {
      files.add(p);
    } else if (Files.isDirectory(p)) {
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + p, e);
      }
    }
  }

}
