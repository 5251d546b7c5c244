package org.ewarn.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark: rendering all appendices (A–E plus the volume) for one language from warm templates,
 * on the fixture marts built from the bundled EWP data. Writes the figures to the "Rendering"
 * section of BENCHMARKS.md at the project root. Run:
 * {@code mvn -q -B -o -pl reports test-compile exec:java}
 * (arguments: language, default en; runs, default 5).
 */
public final class RenderBenchmark {
  static final double TARGET_SECONDS = 5.0;

  public static void main(String[] args) throws IOException {
    String[] languages = (args.length > 0 ? args[0] : "en,zh").split(",");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path work = Files.createTempDirectory("ewarn-render-bench");
    Path warehouse = work.resolve("warehouse");
    new MartFixtures().publishAll(warehouse);
    StringBuilder rows = new StringBuilder();
    for (String lang : languages) {
      long coldStart = System.nanoTime();
      render(warehouse, work.resolve("out-cold-" + lang), lang);
      double cold = (System.nanoTime() - coldStart) / 1e9;
      List<Double> warm = new ArrayList<>();
      int pages = 0;
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        RenderResult r = render(warehouse, work.resolve("out-" + lang + "-" + i), lang);
        warm.add((System.nanoTime() - t) / 1e9);
        pages = r.pages().entrySet().stream().filter(e -> !e.getKey().startsWith("volume"))
            .mapToInt(e -> e.getValue()).sum();
      }
      Collections.sort(warm);
      double median = warm.get(warm.size() / 2);
      rows.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %s |%n",
          lang, pages, runs, median, warm.get(0), warm.get(warm.size() - 1), cold, TARGET_SECONDS,
          median <= TARGET_SECONDS ? "yes" : "no"));
    }
    String section = String.format(Locale.ROOT, """
        ## Rendering

        All report appendices (A–E, each exported as its own PDF, plus the concatenated volume) for
        one language, from warm (already compiled) templates, on the fixture marts built from the
        bundled EWP data (166 countries, 30 high-risk, 36 back-test onsets). Includes reading the
        Parquet marts, filling, chart drawing, PDF/A export and publishing with checksums.

        Command: `mvn -q -B -o -pl reports test-compile exec:java`
        (`-Dexec.args="en,zh,ar 5"` for other languages or run counts). "First render" is the
        first one in the JVM, template compilation and font loading included; the languages run in
        order in one JVM, so only the first language's first render is fully cold.

        | language | pages | runs | median (s) | fastest (s) | slowest (s) | first render (s) | target (s) | met |
        |---|---|---|---|---|---|---|---|---|
        %s

        Measured %s on %d cores (`%s`, Java %s), on a machine shared with other jobs.
        """, rows.toString().stripTrailing(), LocalDate.now(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));
    Path file = projectRoot().resolve("BENCHMARKS.md");
    Files.writeString(file, replaceSection(Files.exists(file) ? Files.readString(file) : "# Benchmarks\n", section),
        StandardCharsets.UTF_8);
    System.out.println(section);
  }

  private static RenderResult render(Path warehouse, Path out, String lang) {
    return new RenderAction(new RenderConfig(warehouse.toString(), out.toString(), List.of(lang), "latest", 0,
        LocalDate.of(2026, 11, 26), "benchmark", "", MartFixtures.TOP, "benchmark")).execute();
  }

  /** Replaces the "## Rendering" section (up to the next "## " heading) or appends it. */
  static String replaceSection(String doc, String section) {
    int start = doc.indexOf("## Rendering\n");
    if (start < 0) {
      return doc.stripTrailing() + "\n\n" + section;
    }
    int next = doc.indexOf("\n## ", start + 1);
    return doc.substring(0, start) + section + (next < 0 ? "" : doc.substring(next + 1));
  }

  private static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("conf/ewarn.conf"))) {
        return p;
      }
    }
    throw new IllegalStateException("conf/ewarn.conf not found above " + Path.of("").toAbsolutePath());
  }
}
