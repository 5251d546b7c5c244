package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Manifests, state files and the JSON summary line carry no environment secrets: the shared
 * six-stage child run ({@link NightlyChild#reference()}) has secret variables planted in its
 * environment, and everything it wrote as JSON is scanned for their values and for the values of
 * this environment's variables whose names look secret.
 */
@org.junit.jupiter.api.Tag("slow")
class SecretsIT {
  @Test
  void noEnvironmentValueEndsUpInManifestsOrJsonLines() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>(NightlyChild.PLANTED_SECRETS);
    System.getenv().forEach((k, v) -> {
      if (k.matches("(?i).*(secret|token|passw|credential|api_?key|auth).*") && v.length() >= 8) {
        secrets.put(k, v);
      }
    });
    NightlyChild.Reference run = NightlyChild.reference();
    assertThat(run.exit()).as(run.stderr()).isZero();

    List<Path> scanned = new ArrayList<>(List.of(run.root().resolve("clean.out"), run.root().resolve("clean.err")));
    try (Stream<Path> walk = Files.walk(run.root())) {
      walk.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl")).forEach(scanned::add);
    }
    assertThat(scanned.stream().filter(f -> f.getFileName().toString().equals("_MANIFEST.json")).count())
        .as("the run published manifests of every stage to scan").isGreaterThanOrEqualTo(20);
    for (Path f : scanned) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      for (var s : secrets.entrySet()) {
        assertThat(text).as(f + " holds the value of $" + s.getKey()).doesNotContain(s.getValue());
      }
    }
  }
}
