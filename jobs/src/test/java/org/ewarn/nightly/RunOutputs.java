package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * What two nightly runs published, compared as a user would: every dataset's every partition row
 * for row, the notebook export's CSVs and the text of every report PDF. Two runs differ in their
 * run ids and clock times only; those are left out of the comparison.
 */
final class RunOutputs {
  private static final Pattern RUN_ID = Pattern.compile(
      "\\d{8}T\\d{0,6}(?:Z(?:-[0-9a-f]{0,4})?)?|\\b\\d{0,6}Z-[0-9a-f]{4}\\b");
  private static final Pattern MINUTE = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}Z");

  private RunOutputs() {}

  /**
   * Asserts that the run under {@code actual} (holding {@code warehouse/} and {@code out/})
   * published what the one under {@code expected} did; {@code context} goes into every message.
   */
  static void assertSame(JavaDataFrameSuiteBase spark, Path expected, Path actual, String context) throws Exception {
    assertSame(spark, expected, actual, context, java.util.function.UnaryOperator.identity());
  }

  /**
   * As above; {@code localCopy} maps a location the actual run recorded (a URI on the store it ran
   * on) to where its copy under {@code actual} is.
   */
  static void assertSame(JavaDataFrameSuiteBase spark, Path expected, Path actual, String context,
      java.util.function.UnaryOperator<String> localCopy) throws Exception {
    // every dataset, every partition, without the vintage label (the back-test labels by run id)
    List<String> datasets = datasets(expected.resolve("warehouse"));
    assertThat(datasets).as("datasets published, " + context).isNotEmpty();
    assertThat(datasets(actual.resolve("warehouse"))).as(context).isEqualTo(datasets);
    Warehouse a = Warehouse.open(expected.resolve("warehouse").toString());
    Warehouse b = Warehouse.open(actual.resolve("warehouse").toString());
    for (String dataset : datasets) {
      if (!a.partitions(dataset).isEmpty() || !b.partitions(dataset).isEmpty()) {
        try {
          spark.assertDataFrameEquals(everyPartition(spark, a, dataset), everyPartition(spark, b, dataset));
        } catch (AssertionError e) {
          throw new AssertionError("dataset " + dataset + " (partitions " + a.partitions(dataset).size() + " vs "
              + b.partitions(dataset).size() + "): " + e.getMessage() + ", " + context, e);
        }
      }
    }
    RunPointer expectedLatest = RunPointer.read(Storage.open(expected.resolve("out").toString())).orElseThrow();
    RunPointer actualLatest = RunPointer.read(Storage.open(actual.resolve("out").toString())).orElseThrow();
    assertThat(actualLatest.outputs().keySet()).as(context).isEqualTo(expectedLatest.outputs().keySet());
    if (expectedLatest.outputs().containsKey("export.notebooks_export")) {
      assertThat(filesByName(Path.of(localCopy.apply(actualLatest.outputs().get("export.notebooks_export"))), ".csv"))
          .as("notebook export, " + context)
          .isEqualTo(filesByName(Path.of(expectedLatest.outputs().get("export.notebooks_export")), ".csv"));
    }
    Map<String, String> expectedText = pdfText(expected.resolve("out"));
    Map<String, String> actualText = pdfText(actual.resolve("out"));
    if (!withoutLayout(actualText).equals(withoutLayout(expectedText))) {
      // the readable texts, which differ too, show where
      assertThat(actualText).as("report text, " + context).isEqualTo(expectedText);
    }
  }

  /**
   * The texts with every blank, line break and Unicode format character (the bidi marks pdftotext
   * puts around right-to-left lines) removed, so only the characters and their order are compared.
   * The reports print run ids, whose digits differ in width: another run's ids reflow a paragraph
   * (an Arabic one moved a word from one line to the next, kill harness 2026-12-04, seed
   * 20261204), with every character the same and in the same order.
   */
  static Map<String, String> withoutLayout(Map<String, String> texts) {
    Map<String, String> out = new TreeMap<>();
    texts.forEach((k, v) -> out.put(k, v.codePoints()
        .filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c) && Character.getType(c) != Character.FORMAT)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()));
    return out;
  }

  static List<String> datasets(Path warehouse) throws IOException {
    if (!Files.isDirectory(warehouse)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(warehouse)) {
      return dirs.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList();
    }
  }

  private static Dataset<Row> everyPartition(JavaDataFrameSuiteBase spark, Warehouse warehouse, String dataset) {
    Dataset<Row> all = SparkMarts.readAllVintages(spark.spark(), warehouse, dataset).drop("vintage");
    Column[] names = Arrays.stream(all.columns()).sorted().map(c -> functions.col("`" + c + "`")).toArray(Column[]::new);
    return all.select(names).orderBy(names);
  }

  private static Map<String, String> filesByName(Path dir, String suffix) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
        out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * The reports name the run that made each mart and when (footer, Appendix E's manifest table);
   * another run has other ids and clock times, so those are masked before the texts are compared,
   * the pieces of an id that a narrow table cell wraps onto two lines included.
   */
  static String withoutRunStamps(String text) {
    return MINUTE.matcher(RUN_ID.matcher(text).replaceAll("<run>")).replaceAll("<minute>");
  }

  /**
   * Each line with its runs of blanks made one: pdftotext's layout mode places columns by glyph
   * position, and the same report rendered in another JVM (the cluster run's driver) came out with
   * some columns one blank further left, with every character the same (measured 2026-12-02).
   */
  static String singleSpaced(String text) {
    return text.lines().map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty())
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /** Text of every published report PDF (pdftotext), by path: PDFs carry ids and dates in their metadata. */
  static Map<String, String> pdfText(Path out) throws Exception {
    Map<String, String> text = new TreeMap<>();
    Path reports = out.resolve("reports");
    if (!Files.isDirectory(reports)) {
      return text;
    }
    List<Path> pdfs;
    try (Stream<Path> walk = Files.walk(reports)) {
      pdfs = walk.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    }
    for (Path pdf : pdfs) {
      Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("pdftotext " + pdf).isZero();
      text.put(withoutRunStamps(reports.relativize(pdf).toString()), withoutRunStamps(singleSpaced(s)));
    }
    return text;
  }
}
