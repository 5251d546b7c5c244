package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The six UN languages read back with poppler's pdftotext, as a reader's tools see them: every
 * rank and risk of the ranking mart on its row of Appendix A (JasperReports silently drops text
 * that does not fit, which once emptied the Arabic number columns), and no section heading as
 * the last line of a page (a heading at the foot of a page with its chart on the next).
 */
class LanguagesTextTest {
  @TempDir static Path shared;
  static MartFixtures fixtures;
  static RenderResult result;

  /** Heading labels; a trailing "{0}" pattern is matched by its fixed start. */
  static final List<String> HEADING_KEYS = List.of("a.group.highest", "a.group.increased", "a.group.consistent",
      "c.scorecard", "c.years", "c.reliability", "c.catch", "c.lead", "c.roc", "c.pr", "c.monthly",
      "c.monthly.reliability", "c.cases", "d.legend", "e.run", "e.marts", "e.sources", "e.models",
      "e.protocol", "e.outcomes", "e.coverage", "e.citations", "b.multiples");

  @BeforeAll
  static void renderAllSix() {
    Path wh = shared.resolve("warehouse");
    fixtures = new MartFixtures().publishAll(wh);
    result = new RenderAction(RenderActionTest.config(wh, shared.resolve("out"),
        List.of("en", "zh", "fr", "es", "ru", "ar"), "run-6", RenderActionTest.DAY)).execute();
  }

  static Path pdf(String appendix, String lang) {
    return Rendered.directory(result).resolve(appendix + "_" + lang + "_2026-11-26_v01.pdf");
  }

  /** pdftotext -layout of one page, optionally cropped to the body (above the page footer). */
  static String pdftotext(Path pdf, int page, boolean bodyOnly) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("pdftotext", "-layout", "-enc", "UTF-8", "-f", "" + page, "-l", "" + page));
    if (bodyOnly) {
      // A4 842 pt high; the page footer band and bottom margin take the last 60 pt.
      cmd.addAll(List.of("-x", "0", "-y", "0", "-W", "595", "-H", "780"));
    }
    cmd.addAll(List.of(pdf.toString(), "-"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("pdftotext %s: %s", pdf, out).isZero();
    return normalise(out);
  }

  /** Every number printed on a line ("3,92–9,80" gives two), wherever letters touch it. */
  static List<String> numbers(String line) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[+-]?\\d+(?:[.,]\\d+)?").matcher(line);
    while (m.find()) {
      out.add(m.group().replaceFirst("^[+-]", ""));
    }
    return out;
  }

  /** Shaped Arabic comes back as presentation forms wrapped in bidi controls: undo both. */
  static String normalise(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void everyRankAndRiskOfTheMartIsOnItsRowOfAppendixA(String lang) throws Exception {
    Path a = pdf("A", lang);
    List<String> lines = new ArrayList<>();
    for (int page = 1; page <= Pdfs.pages(a); page++) {
      pdftotext(a, page, false).lines().map(String::strip).forEach(lines::add);
    }
    assertThat(fixtures.forecasts).hasSize(166);
    // The language's decimal sign (2,99 in French), digits as UN documents print them.
    java.text.NumberFormat decimals = java.text.NumberFormat.getNumberInstance(Language.of(lang).locale());
    decimals.setMinimumFractionDigits(2);
    decimals.setMaximumFractionDigits(2);
    List<List<String>> numbersByLine = lines.stream().map(LanguagesTextTest::numbers).toList();
    for (Map<String, Object> f : fixtures.forecasts) {
      String rank = f.get("rank").toString();
      String risk = decimals.format(new java.math.BigDecimal(RenderActionTest.percent((Double) f.get("risk"))));
      // Row of this rank: the rank and the risk as whole numbers on one line; right to left the
      // line runs the other way and the rank touches the country name, so only membership counts.
      assertThat(numbersByLine).as("%s: rank %s with risk %s", lang, rank, risk)
          .anyMatch(n -> n.contains(rank) && n.contains(risk));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void noSectionHeadingIsTheLastLineOfAPage(String lang) throws Exception {
    ResourceBundle labels = Language.of(lang).labels();
    List<String> headings = new ArrayList<>();
    for (String key : HEADING_KEYS) {
      String h = normalise(labels.getString(key));
      headings.add(h.contains("{") ? h.substring(0, h.indexOf('{')).strip() : h.strip());
    }
    int pagesChecked = 0;
    for (String appendix : List.of("A", "B", "C", "D", "E")) {
      Path file = pdf(appendix, lang);
      int pages = Pdfs.pages(file);
      for (int page = 1; page < pages; page++) {
        List<String> body = pdftotext(file, page, true).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(body).as("%s %s page %d has text", appendix, lang, page).isNotEmpty();
        String last = body.get(body.size() - 1);
        for (String part : last.split("\\s{3,}")) {
          String cell = part.strip();
          String reversed = new StringBuilder(cell).reverse().toString();
          assertThat(headings).as("%s %s page %d ends with heading '%s'", appendix, lang, page, cell)
              .noneMatch(h -> !h.isEmpty() && (cell.startsWith(h) || reversed.startsWith(h) || cell.equals(h)));
        }
        pagesChecked++;
      }
    }
    assertThat(pagesChecked).isGreaterThan(5);
  }

  /** Every page of an appendix as one string, lines joined by a space, spaces collapsed. */
  static String flowing(Path pdf) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int page = 1; page <= Pdfs.pages(pdf); page++) {
      b.append(pdftotext(pdf, page, false)).append('\n');
    }
    return b.toString().replaceAll("\\s+", " ");
  }

  /**
   * Appendix A says why its model ranks the countries in the page's language: the rule, the
   * chosen model's back-test AUC and recall (this language's decimal sign), the back-test run and
   * how the intervals were drawn, not the manifest's English sentences. Fails if the manifest
   * strings are printed as they are.
   */
  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void primaryModelRuleAndEvidenceAreInTheLanguage(String lang) throws Exception {
    Language l = Language.of(lang);
    String text = flowing(pdf("A", lang));
    java.text.NumberFormat three = Sections.decimals(l, 3);
    assertThat(text).contains(three.format(0.802)).contains(three.format(0.583)).contains(three.format(0.789))
        .contains("bt-run-7").contains(Sections.decimals(l, 6).format(0.002357));
    for (String key : List.of("a.primary.rule.margin", "a.primary.chosen", "a.primary.why.none", "a.primary.others",
        "a.interval.method")) {
      // The label's words before its first value, as extracted (right to left: by the first word).
      String label = normalise(l.labels().getString(key));
      String fixed = label.substring(0, label.indexOf('{')).strip();
      String probe = l.rightToLeft() ? fixed.split("[ :،]")[0] : fixed;
      // Chinese wraps between any two characters: the joined lines carry spaces of their own.
      assertThat(lang.equals("zh") ? text.replace(" ", "") : text).as("%s: %s", lang, key)
          .contains(lang.equals("zh") ? probe.replace(" ", "") : probe);
    }
    if (!lang.equals("en")) {
      assertThat(text).as("English of the manifest in %s", lang).doesNotContain("pooled AUC")
          .doesNotContain("no candidate beats").doesNotContain("unless another of").doesNotContain("country-years")
          .doesNotContain("recall@").doesNotContain("Evidence:").doesNotContain("percentile bootstrap")
          .doesNotContain("with replacement");
      if (!l.label("unit.pp").equals("pp")) { // Spanish writes pp too
        assertThat(text).as("English unit in %s", lang).doesNotContain(" pp)");
      }
    }
  }

  /**
   * Right to left, a range, a percentage or a date after Arabic words came out reversed
   * ("%10.00–0" for the bar scale 0–10.00%, 26-11-2026 for the render date): they must read
   * left to right in the extracted text of the Arabic ranking.
   */
  @org.junit.jupiter.api.Test
  void arabicRangesPercentagesAndDatesReadLeftToRight() throws Exception {
    String page1 = pdftotext(pdf("A", "ar"), 1, false);
    double max = 0;
    for (double[] band : fixtures.intervals.values()) {
      max = Math.max(max, Double.parseDouble(RenderActionTest.percent(band[1])));
    }
    String scale = String.format(java.util.Locale.ROOT, "%.2f", Math.max(1, Math.ceil(max)));
    assertThat(page1).contains("0–" + scale + "%").doesNotContain("%" + scale + "–0")
        .contains("90%").doesNotContain("%90")
        .contains("2026-11-26").doesNotContain("26-11-2026");
    Map<String, Object> first = fixtures.forecasts.stream().filter(f -> Integer.valueOf(1).equals(f.get("rank")))
        .findFirst().orElseThrow();
    String risk = RenderActionTest.percent((Double) first.get("risk"));
    // pdftotext orders the brackets of a right-to-left line its own way; the figure must read 6.53%.
    assertThat(page1).contains(risk + "%").doesNotContain("%" + risk);
    // The back-test's recall interval: lower bound first.
    String text = flowing(pdf("A", "ar"));
    assertThat(text).containsPattern("0\\.\\d{2} \\(0\\.\\d{2}–0\\.\\d{2}\\) 30").doesNotContain("%0");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((0\\.\\d+)–(0\\.\\d+)\\)").matcher(text);
    int ranges = 0;
    while (m.find()) {
      assertThat(Double.parseDouble(m.group(1))).as("range %s", m.group()).isLessThanOrEqualTo(Double.parseDouble(m.group(2)));
      ranges++;
    }
    assertThat(ranges).isGreaterThanOrEqualTo(2);
  }

  /**
   * The ranking's column headers wrap at word boundaries and print whole: each word of each
   * header (a no-break space keeps "90 %" together) is on one extracted line of page 1, so a word
   * broken over two lines ("Предыдущ-ий") or a header dropped for not fitting its box fails.
   */
  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void rankingHeadersWrapAtWordsAndPrintWhole(String lang) throws Exception {
    Language l = Language.of(lang);
    Path a = pdf("A", lang);
    List<String> lines = new ArrayList<>();
    for (int page = 1; page <= Pdfs.pages(a); page++) {
      pdftotext(a, page, false).lines().forEach(lines::add);
    }
    List<String> headers = new ArrayList<>(List.of(l.label("col.rank"), l.label("col.country"), l.label("col.risk"),
        l.label("col.previous"), l.label("col.change"), l.label("col.groups"), l.label("col.interval", "90")));
    for (String header : headers) {
      for (String word : header.split(" ")) {
        // Brackets are neutral: pdftotext puts those of a right-to-left line where it likes.
        String w = normalise(word).replaceAll("[()（）]", "").strip();
        if (w.isEmpty()) {
          continue;
        }
        assertWhole(lines, w, lang + " header " + header);
      }
    }
  }

  /**
   * Appendix E lists every mart it read with its name whole on one line (a name is an identifier
   * without break opportunities: backtest_monthly_calibration broke as "…calibratio" / "n" in a
   * 105 pt column), and its input-file lines in the language ("bytes" was English everywhere).
   */
  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void dataMethodsPrintsMartNamesWholeAndSourcesInTheLanguage(String lang) throws Exception {
    Path e = pdf("E", lang);
    List<String> lines = new ArrayList<>();
    for (int page = 1; page <= Pdfs.pages(e); page++) {
      pdftotext(e, page, true).lines().forEach(lines::add);
    }
    int checked = 0;
    for (String dataset : Appendix.E.datasets) {
      if (java.nio.file.Files.isDirectory(shared.resolve("warehouse").resolve(dataset))) {
        assertThat(lines).as("%s: mart %s whole on a line of E", lang, dataset)
            .anyMatch(l -> java.util.Arrays.asList(l.strip().split("\\s+")).contains(dataset));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
    String unit = normalise(Language.of(lang).labels().getString("e.source")).replaceAll("\\{\\d\\}|—|sha256", " ").strip();
    assertThat(String.join(" ", lines)).as("%s: source lines say '%s'", lang, unit).contains(unit);
    if (!unit.equals("bytes")) {
      assertThat(String.join(" ", lines)).as("%s: English 'bytes'", lang).doesNotContain(" bytes ");
    }
  }

  /**
   * Appendix C's scorecard headers and its sample words wrap at word boundaries and print whole
   * (in Russian "Выборка", "Брайер", "Случаи", "Горизонт" and the cell word "собственная" broke
   * mid-word in their columns).
   */
  @ParameterizedTest
  @ValueSource(strings = {"en", "zh", "fr", "es", "ru", "ar"})
  void warningQualityHeadersAndTermsPrintWhole(String lang) throws Exception {
    Language l = Language.of(lang);
    Path c = pdf("C", lang);
    List<String> lines = new ArrayList<>();
    for (int page = 1; page <= Pdfs.pages(c); page++) {
      pdftotext(c, page, true).lines().forEach(lines::add);
    }
    for (String key : List.of("c.col.model", "c.col.scope", "c.col.lead.months", "c.col.sample", "c.col.auc",
        "c.col.aupr", "c.col.brier", "c.col.skill", "c.col.recall", "c.col.precision", "c.col.falsealarms",
        "c.col.onsets", "sample.own", "sample.common", "sample.common_long")) {
      String label = l.labels().getString(key);
      for (String word : label.split(" ")) {
        String w = normalise(word).replaceAll("[()（）]", "").strip();
        // Chinese may break between any two characters; words of other scripts may not.
        if (!w.isEmpty() && !w.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)) {
          assertWhole(lines, w, lang + " " + key);
        }
      }
    }
  }

  /**
   * The word printed whole: on some line, and never broken into a first part ending one line and
   * the rest as a token of another, as when "собственная" printed as "собственна" / "я" (the word
   * may also occur whole elsewhere on the page, in a heading).
   */
  static void assertWhole(List<String> lines, String w, String what) {
    String bare = w.replaceAll("[()（）]", "");
    assertThat(lines).as("%s: '%s' on one line", what, bare)
        .anyMatch(line -> line.replaceAll("[()（）]", "").contains(bare));
    java.util.Set<String> tokens = new java.util.HashSet<>();
    for (String line : lines) {
      tokens.addAll(List.of(line.replaceAll("[()（）,;:،؛]", " ").strip().split("\\s+")));
    }
    // Only words of letters (Chinese may break anywhere; "(%)" and "95 %" are not words).
    boolean word = bare.matches("\\p{L}+")
        && bare.codePoints().noneMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    for (int cut = 3; word && cut < bare.length(); cut++) {
      String head = bare.substring(0, cut);
      String tail = bare.substring(cut);
      assertThat(tokens.contains(head) && tokens.contains(tail))
          .as("%s: '%s' broken as '%s' / '%s'", what, bare, head, tail).isFalse();
    }
  }
}
