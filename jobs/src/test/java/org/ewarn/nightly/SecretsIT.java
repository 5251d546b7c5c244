package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests, state files and the JSON summary line carry no environment secrets: a child run with
 * planted secret variables (and the variables of this environment whose names look secret) is
 * scanned for their values.
 */
@org.junit.jupiter.api.Tag("slow")
class SecretsIT extends SparkTest {
  private static final Path TARGET = HOME.resolve("jobs/target");

  @TempDir Path tmp;

  @Test
  void noEnvironmentValueEndsUpInManifestsOrJsonLines() throws Exception {
    Map<String, String> planted = new LinkedHashMap<>();
    planted.put("AWS_SECRET_ACCESS_KEY", "aws-" + UUID.randomUUID());
    planted.put("EWARN_DB_PASSWORD", "pw-" + UUID.randomUUID());
    planted.put("GITHUB_TOKEN", "ghp_" + UUID.randomUUID().toString().replace("-", ""));
    Map<String, String> secrets = new LinkedHashMap<>(planted);
    System.getenv().forEach((k, v) -> {
      if (k.matches("(?i).*(secret|token|passw|credential|api_?key|auth).*") && v.length() >= 8) {
        secrets.put(k, v);
      }
    });

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(Arrays.asList(Files.readString(TARGET.resolve("launcher/jvm-options")).trim().split("\\s+")));
    String jar;
    try (Stream<Path> files = Files.list(TARGET)) {
      jar = files.filter(p -> p.getFileName().toString().matches("ewarn-jobs-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-thin.jar")).findFirst().orElseThrow().toString();
    }
    cmd.addAll(List.of("-Dewarn.home=" + HOME, "-cp", jar + ":" + TARGET.resolve("lib") + "/*",
        "org.ewarn.cli.Ewarn", "ingest", "--source", "coups", "--source", "ewp-episodes",
        "--set", "warehouse.root=" + tmp.resolve("warehouse"), "--set", "output.root=" + tmp.resolve("out")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("run.out").toFile())
        .redirectError(tmp.resolve("run.err").toFile());
    pb.environment().putAll(planted);
    Process p = pb.start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("run.err"))).isZero();

    List<Path> scanned = new ArrayList<>(List.of(tmp.resolve("run.out")));
    try (Stream<Path> walk = Files.walk(tmp)) {
      walk.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl")).forEach(scanned::add);
    }
    assertThat(scanned.stream().filter(f -> f.getFileName().toString().equals("_MANIFEST.json")).count())
        .as("the run published manifests to scan").isGreaterThanOrEqualTo(2);
    for (Path f : scanned) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      for (var s : secrets.entrySet()) {
        assertThat(text).as(f + " holds the value of $" + s.getKey()).doesNotContain(s.getValue());
      }
    }
  }
}
