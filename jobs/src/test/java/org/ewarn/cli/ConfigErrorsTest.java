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
  void malformedOrFutureRunDatesAreRefusedBeforeAnythingIsTouched() throws Exception {
    Path wh = dir.resolve("wh");
    Path out = dir.resolve("out");
    String tomorrowButOne = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();
    for (String date : java.util.List.of("2026-13-40", "26/11/2026", "yesterday", tomorrowButOne, "2999-01-01")) {
      Outcome r = run("nightly", "--run-date", date, "--set", "warehouse.root=\"" + wh + "\"",
          "--set", "output.root=\"" + out + "\"");
      assertThat(r.exit()).as(date).isEqualTo(2);
      assertThat(r.json().get("status").asText()).as(date).isEqualTo("config_error");
      assertThat(r.json().get("message").asText()).as(date).contains("--run-date", date);
      assertThat(wh).as(date + ": no lock, no state written").doesNotExist();
      assertThat(out).as(date).doesNotExist();
    }
  }

  @Test
  void pathsThatEscapeTheirRootThroughDotDotAreRefusedWhereTheyWouldBeWritten() throws Exception {
    Path escape = dir.resolve("out/../../elsewhere");
    Outcome w = run("ingest", "--source", "coups", "--set", "warehouse.root=\"" + escape + "\"");
    assertThat(w.exit()).isEqualTo(2);
    assertThat(w.json().get("message").asText()).contains("warehouse.root", "..");
    Outcome o = run("nightly", "--set", "warehouse.root=\"" + dir.resolve("wh") + "\"",
        "--set", "output.root=\"" + escape + "\"");
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.json().get("message").asText()).contains("output.root", "..");
    Outcome b = run("backtest", "--set", "warehouse.root=\"" + dir.resolve("wh") + "\"",
        "--set", "backtest.output-dir=\"target/ewarn/out/../../../../tmp/x\"");
    assertThat(b.exit()).isEqualTo(2);
    assertThat(b.json().get("message").asText()).contains("backtest.output-dir", "..");
    Outcome s = run("ingest", "--set", "warehouse.root=\"" + dir.resolve("wh") + "\"", "--set",
        "ingest.sources.\"a/../../../x\" = { dataset = coups, format = coups, vintage = v1, files = [\"jobs/data/coups/powell-thyne-2022.csv.gz\"] }");
    assertThat(s.exit()).isEqualTo(2);
    assertThat(s.json().get("message").asText()).contains("a/../../../x", "no '..'");
    assertThat(dir.resolve("elsewhere")).doesNotExist();
    assertThat(dir.resolve("wh")).doesNotExist();
  }

  @Test
  void unknownModelIdsAreConfigurationErrorsNamingTheKnownOnes() throws Exception {
    Outcome r = run("backtest", "--model", "elastic_nett", "--set", "warehouse.root=\"" + dir.resolve("wh") + "\"");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("message").asText()).contains("elastic_nett", "elastic_net");
    Outcome f = run("forecast", "--set", "models.enabled=[elastic_net, forest]",
        "--set", "warehouse.root=\"" + dir.resolve("wh") + "\"");
    assertThat(f.exit()).isEqualTo(2);
    assertThat(f.json().get("message").asText()).contains("models.enabled", "forest");
    assertThat(dir.resolve("wh")).doesNotExist();
  }

  /** What each command's help must mention beyond its own options: the thing a user came for. */
  private static final java.util.Map<String, java.util.List<String>> HELP_MENTIONS = java.util.Map.of(
      "ingest", java.util.List.of("quarantine"),
      "nightly", java.util.List.of("--run-date"),
      "backtest", java.util.List.of("--protocol"),
      "render", java.util.List.of("PDF"));

  @Test
  void everyCommandHasHelp() throws Exception {
    var commands = Ewarn.commandLine().getSubcommands();
    // the eight commands of the README; a new one joins this list with its help checked
    assertThat(commands.keySet()).contains("ingest", "panel", "forecast", "backtest", "score-forecasts",
        "export", "render", "nightly");
    for (var entry : commands.entrySet()) {
      String name = entry.getKey();
      if (name.equals("help")) {
        continue;
      }
      PrintStream out = System.out;
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      int exit;
      try {
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        exit = Ewarn.run(name, "--help");
      } finally {
        System.setOut(out);
      }
      String help = o.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(name).isZero();
      assertThat(help).as(name).startsWith("Usage: ewarn " + name).contains("--help", "--conf", "--set");
      var spec = entry.getValue().getCommandSpec();
      assertThat(String.join(" ", spec.usageMessage().description())).as(name + " description").isNotBlank();
      for (var option : spec.options()) {
        assertThat(help).as(name + " help lists " + option.longestName()).contains(option.longestName());
        assertThat(String.join(" ", option.description())).as(name + " " + option.longestName() + " is explained")
            .isNotBlank();
      }
      for (String mention : HELP_MENTIONS.getOrDefault(name, java.util.List.of())) {
        assertThat(help).as(name).contains(mention);
      }
    }
  }
}
