package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ewarn.SparkTest;

/**
 * {@code ewarn nightly} in its own JVM on the packaged jar, as a scheduler starts it, and the one
 * uninterrupted six-stage run that the process tests of a JVM share: the kill harness compares its
 * restarted runs with it, the secrets test scans what it wrote, the end-to-end test checks it.
 * One such run costs minutes, so it is made once per test JVM (failsafe runs one reused fork).
 */
final class NightlyChild {
  static final Path TARGET = SparkTest.HOME.resolve("jobs/target");
  /**
   * In the order conf/nightly.conf runs them (the back-test before the forecast, whose primary
   * model follows the back-test): the child passes this list as {@code nightly.stages}, which
   * sets the order too.
   */
  static final List<String> SIX_STAGES = List.of("ingest", "panel", "backtest", "forecast", "export", "render");
  private static final Pattern DONE = Pattern.compile("(\\w+): done in ([0-9.]+) s");

  /**
   * CI size: the same six stages and code paths with the in-memory models only (the random forest
   * refits dominate a default night), the last origins of both back-tests and the last two
   * forecast editions, and three of the six languages (Latin script, CJK, right to left);
   * {@code -Dewarn.kill.full-models=true} runs the defaults (the README's nightly).
   */
  static List<String> ciSize() {
    if (Boolean.getBoolean("ewarn.kill.full-models")) {
      return List.of();
    }
    return List.of("--set", "models.enabled=[elastic_net, baseline_history]",
        "--set", "backtest.monthly.models=[elastic_net, baseline_persistence]",
        "--set", "backtest.monthly.first-origin=\"2016-01\"", "--set", "backtest.annual.first-origin=2011",
        "--set", "backtest.metrics.bootstrap-replicates=100", "--set", "forecast.trajectory.first-edition=2023",
        "--set", "reports.languages=[en, zh, ar]");
  }

  /** Secret-looking variables planted in the shared run's environment; no output may hold their values. */
  static final Map<String, String> PLANTED_SECRETS = Map.of(
      "AWS_SECRET_ACCESS_KEY", "aws-" + UUID.randomUUID(),
      "EWARN_DB_PASSWORD", "pw-" + UUID.randomUUID(),
      "GITHUB_TOKEN", "ghp_" + UUID.randomUUID().toString().replace("-", ""));

  private static Reference reference;

  /**
   * How long one child nightly may take ({@code -Dewarn.child.minutes}, default 30): CI-size runs
   * take ~3 minutes on 2 idle cores, but on a shared machine at a load of 30 ingest and panel
   * alone took 28 minutes (2026-12-02).
   */
  static final int MINUTES = Integer.getInteger("ewarn.child.minutes", 30);

  private NightlyChild() {}

  /** {@code java}, the launcher's JVM options and the jar's classpath. */
  static List<String> java(String xmx) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    cmd.addAll(Arrays.asList(Files.readString(TARGET.resolve("launcher/jvm-options")).trim().split("\\s+")));
    cmd.addAll(List.of("-Dewarn.home=" + SparkTest.HOME, "-cp", jobsJar() + ":" + TARGET.resolve("lib") + "/*"));
    return cmd;
  }

  /** The nightly of 2026-11-26 with its warehouse and outputs under {@code root}. */
  static List<String> nightly(Path root, List<String> stages, List<String> extra) throws IOException {
    List<String> cmd = new ArrayList<>(java("2g"));
    cmd.addAll(List.of("org.ewarn.cli.Ewarn", "nightly", "--run-date", "2026-11-26",
        "--set", "warehouse.root=" + root.resolve("warehouse"), "--set", "output.root=" + root.resolve("out"),
        "--set", "export.notebooks.render=false", "--set", "nightly.stages=[" + String.join(",", stages) + "]"));
    cmd.addAll(extra);
    return cmd;
  }

  /** Starts {@code cmd} with stdout and stderr in {@code root/<name>.out} and {@code .err}. */
  static Process start(Path root, String name, List<String> cmd, Map<String, String> env) throws IOException {
    Files.createDirectories(root);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(root.resolve(name + ".out").toFile())
        .redirectError(root.resolve(name + ".err").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static Path jobsJar() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("ewarn-jobs-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-thin.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no ewarn-jobs jar in " + TARGET
              + ": the process tests run in verify, after package"));
    }
  }

  /** Seconds per stage from a run's {@code <stage>: done in <s> s} lines. */
  static Map<String, Double> stageSeconds(String stderr) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    Matcher m = DONE.matcher(stderr);
    while (m.find()) {
      seconds.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return seconds;
  }

  /** The uninterrupted run of the six stages at CI size, with planted secrets in its environment. */
  record Reference(Path root, int exit, String stdout, String stderr, Map<String, Double> seconds) {
    Path warehouse() {
      return root.resolve("warehouse");
    }

    Path out() {
      return root.resolve("out");
    }
  }

  private static Process referenceProcess;

  /**
   * Starts the shared reference run if it is not running or done, without waiting for it: a test
   * that has minutes of its own work (the cluster test) lets it run meanwhile.
   */
  static synchronized void startReference() throws IOException {
    if (reference == null && referenceProcess == null) {
      Path root = referenceRoot();
      deleteTree(root);
      referenceProcess = start(root, "clean", nightly(root, SIX_STAGES, ciSize()), PLANTED_SECRETS);
    }
  }

  /** The shared reference run, started the first time a test asks for it, and waited for. */
  static synchronized Reference reference() throws Exception {
    if (reference == null) {
      startReference();
      Process p = referenceProcess;
      try {
        assertThat(p.waitFor(MINUTES, TimeUnit.MINUTES)).as("the reference nightly ends within " + MINUTES + " minutes")
            .isTrue();
      } finally {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      Path root = referenceRoot();
      String err = Files.readString(root.resolve("clean.err"));
      reference = new Reference(root, p.exitValue(), Files.readString(root.resolve("clean.out")), err,
          stageSeconds(err));
      System.err.println("NightlyChild: reference nightly exit " + reference.exit() + ", stage seconds "
          + reference.seconds());
    }
    return reference;
  }

  private static Path referenceRoot() {
    return TARGET.resolve("it-reference-nightly");
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
