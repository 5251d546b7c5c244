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
    return result.directory().resolve(appendix + "_" + lang + "_2026-11-26_v01.pdf");
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
}
