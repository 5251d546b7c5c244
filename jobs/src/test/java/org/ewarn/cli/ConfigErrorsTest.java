package org.ewarn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration and usage mistakes end with exit 2, a message naming the key, the file and line
 * and what was expected, and still one JSON line on stdout. No Spark is started for them.
 */
class ConfigErrorsTest {
  @TempDir Path dir;

  private record Outcome(int exit, String stderr, JsonNode json) {}

  private static Outcome run(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Ewarn.run(args);
      String[] lines = o.toString(StandardCharsets.UTF_8).strip().split("\n");
      return new Outcome(exit, e.toString(StandardCharsets.UTF_8),
          new ObjectMapper().readTree(lines[lines.length - 1]));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void unknownKeyNamesTheKeyFileAndLine() throws Exception {
    Path conf = dir.resolve("mine.conf");
    Files.writeString(conf, "warehouse {\n  root = /tmp/wh\n  rot = /tmp/typo\n}\n");
    Outcome r = run("ingest", "--conf", conf.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("status").asText()).isEqualTo("config_error");
    assertThat(r.json().get("command").asText()).isEqualTo("ingest");
    assertThat(r.json().get("message").asText())
        .contains("warehouse.rot", conf.toString(), "line 3", "root");
  }

  @Test
  void wrongTypeNamesTheExpectedType() throws Exception {
    Outcome r = run("ingest", "--set", "quality.max-error-rate=lots");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("message").asText()).contains("quality.max-error-rate", "NUMBER");
  }

  @Test
  void outOfRangeValueSaysTheRange() throws Exception {
    Outcome r = run("ingest", "--set", "quality.max-error-rate=1.5");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("message").asText()).contains("quality.max-error-rate", "from 0.0 to 1.0", "1.5");
  }

  @Test
  void unknownFormatListsTheKnownOnes() throws Exception {
    Outcome r = run("ingest", "--set", "ingest.sources.ged.format=ged-99");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("message").asText()).contains("ingest.sources.ged.format", "ged-19", "acled");
  }

  @Test
  void missingInputFileNamesTheKeyAndPath() throws Exception {
    Outcome r = run("ingest", "--set", "ingest.sources.coups.files=[\"/no/such/coups.csv\"]");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("message").asText()).contains("ingest.sources.coups.files", "/no/such/coups.csv");
  }

  @Test
  void unknownOptionIsAUsageErrorWithAJsonLine() throws Exception {
    Outcome r = run("ingest", "--no-such-option");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("Unknown option", "Usage:");
    assertThat(r.json().get("status").asText()).isEqualTo("config_error");
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      assertThat(Ewarn.run("ingest", "--help")).isZero();
    } finally {
      System.setOut(out);
    }
    assertThat(o.toString(StandardCharsets.UTF_8)).contains("--source", "--conf", "--set", "quarantine");
  }
}
