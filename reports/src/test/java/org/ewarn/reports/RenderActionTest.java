package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the appendices from mart fixtures built out of the real EWP files and reads the PDFs
 * back: content against the fixture marts, fonts, metadata, naming, versioning, missing data.
 */
class RenderActionTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 26);
  @TempDir static Path shared;
  static MartFixtures fixtures;
  static Path warehouse;
  static RenderResult first;

  @BeforeAll
  static void renderEnglishAndChinese() {
    warehouse = shared.resolve("warehouse");
    fixtures = new MartFixtures().publishAll(warehouse);
    first = new RenderAction(config(warehouse, shared.resolve("out"), List.of("en", "zh"), "run-1", DAY)).execute();
  }

  static RenderConfig config(Path wh, Path out, List<String> languages, String runId, LocalDate day) {
    return new RenderConfig(wh.toString(), out.toString(), languages, "latest", 0, day, runId, "", MartFixtures.TOP, "test-version");
  }

  static Path file(String name) {
    return Rendered.directory(first).resolve(name);
  }

  static String englishName(Map<String, Object> forecast) {
    Object name = fixtures.countries.getOrDefault((Integer) forecast.get("ccode"), Map.of()).get("country");
    return name != null ? name.toString() : forecast.get("country").toString();
  }

  @Test
  void publishesEveryAppendixAndAVolumePerLanguageUnderYearAndEdition() {
    assertThat(first.edition()).isEqualTo(MartFixtures.EDITION);
    assertThat(Rendered.directory(first)).isEqualTo(shared.resolve("out/reports/2026/2023").toAbsolutePath());
    assertThat(Rendered.written(first)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        "A_en_2026-11-26_v01.pdf", "B_en_2026-11-26_v01.pdf", "C_en_2026-11-26_v01.pdf",
        "D_en_2026-11-26_v01.pdf", "E_en_2026-11-26_v01.pdf", "volume_en_2026-11-26_v01.pdf",
        "A_zh_2026-11-26_v01.pdf", "B_zh_2026-11-26_v01.pdf", "C_zh_2026-11-26_v01.pdf",
        "D_zh_2026-11-26_v01.pdf", "E_zh_2026-11-26_v01.pdf", "volume_zh_2026-11-26_v01.pdf");
    assertThat(first.notes()).isEmpty();
  }

  @Test
  void shaFileBesideEachPdfMatchesItsBytes() throws Exception {
    for (Path pdf : Rendered.written(first)) {
      String line = Files.readString(pdf.resolveSibling(pdf.getFileName() + ".sha256"), StandardCharsets.US_ASCII);
      String expected = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(pdf)));
      assertThat(line).isEqualTo(expected + "  " + pdf.getFileName() + "\n");
    }
  }

  @Test
  void pageCountsAreRecordedAndTheVolumeHoldsEveryAppendix() {
    for (String lang : List.of("en", "zh")) {
      int sum = 0;
      for (String part : List.of("A", "B", "C", "D", "E")) {
        String name = part + "_" + lang + "_2026-11-26_v01.pdf";
        int pages = Pdfs.pages(file(name));
        assertThat(first.pages()).containsEntry(name, pages);
        sum += pages;
      }
      assertThat(Pdfs.pages(file("volume_" + lang + "_2026-11-26_v01.pdf"))).isEqualTo(sum);
    }
    // 166 countries at 14 pt a row after a title block: more than two pages, fewer than six.
    assertThat(first.pages().get("A_en_2026-11-26_v01.pdf")).isBetween(3, 5);
    // 30 small multiples, three per row, under the map.
    assertThat(first.pages().get("B_en_2026-11-26_v01.pdf")).isEqualTo(3);
  }

  @Test
  void rankingShowsEveryCountryWithRankRiskAndChangeFromTheMart() {
    List<String> lines = Pdfs.lines(file("A_en_2026-11-26_v01.pdf"));
    assertThat(fixtures.forecasts).hasSize(166);
    for (Map<String, Object> f : fixtures.forecasts) {
      // The CSV's decimal text, in percent, rounded half-up as a reader would.
      String risk = java.math.BigDecimal.valueOf((Double) f.get("risk")).movePointRight(2)
          .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
      String prefix = f.get("rank") + " " + englishName(f) + " " + risk;
      assertThat(lines).as("row of %s", f.get("country")).anyMatch(l -> l.startsWith(prefix));
    }
    // The EWP 2023 assessment's top country, straight from the published CSV (interval between).
    assertThat(lines).anyMatch(l -> l.matches("1 Afghanistan 6\\.53 \\S+ 6\\.47 \\+0\\.06.*"));
  }

  @Test
  void chineseRankingUsesTheCrosswalksChineseNames() {
    String text = Pdfs.text(file("A_zh_2026-11-26_v01.pdf"));
    assertThat(text).contains("附录 A. 国家风险排名");
    List<String> lines = text.lines().map(String::strip).toList();
    int checked = 0;
    for (Map<String, Object> f : fixtures.forecasts) {
      Object zh = fixtures.countries.getOrDefault((Integer) f.get("ccode"), Map.of()).get("name_zh");
      if (zh != null && (Integer) f.get("rank") <= 30) {
        String prefix = f.get("rank") + " " + zh;
        assertThat(lines).as("row of %s", zh).anyMatch(l -> l.startsWith(prefix));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(text).contains("1 阿富汗 6.53");
  }

  @Test
  void warningQualityShowsTheIndependentlyComputedMetrics() {
    String text = Pdfs.text(file("C_en_2026-11-26_v01.pdf"));
    List<String> lines = text.lines().map(String::strip).toList();
    for (Map<String, Object> m : fixtures.metrics) {
      String auc = String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", m.get("auc"), m.get("auc_lower"), m.get("auc_upper"));
      String recall = String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", m.get("recall_at_30"),
          m.get("recall_at_30_lower"), m.get("recall_at_30_upper"));
      String scope = m.get("scope").toString().replace("lead_", "lead ");
      String sample = m.getOrDefault("sample", "own").toString();
      if (sample.equals("common_long")) {
        // its label "common (long)" wraps in the sample column: "(long)" is on the row's next line
        assertThat(java.util.stream.IntStream.range(0, lines.size() - 1)).as("scorecard row %s", m)
            .anyMatch(i -> lines.get(i).contains(scope + " common " + auc) && lines.get(i).contains(recall)
                && lines.get(i + 1).contains("(long)"));
        continue;
      }
      assertThat(lines).as("scorecard row %s", m).anyMatch(l -> l.contains(scope + " " + sample + " " + auc) && l.contains(recall));
    }
    // Brier skill of the ranked model, own and common sample, side by side with the external source.
    assertThat(lines).anyMatch(l -> l.startsWith("Elastic net") && l.contains(" pooled own ") && l.contains(" 0.125 "));
    assertThat(lines).anyMatch(l -> l.startsWith("Elastic net") && l.contains(" pooled common ") && l.contains(" 0.063 "));
    assertThat(text).doesNotContain("elastic_net").doesNotContain("baseline_persistence");
    // Reliability diagram captions carry the bin counts computed by the fixture.
    long forecasts = fixtures.calibration.stream().mapToLong(c -> (Integer) c.get("forecasts")).sum();
    long onsets = fixtures.calibration.stream().mapToLong(c -> (Integer) c.get("onsets")).sum();
    assertThat(String.join(" ", lines)).contains("Reliability diagrams").contains(String.format(Locale.ROOT,
        "EWP published back-test forecasts (2023): %,d forecasts, %d onsets", forecasts, onsets));
    // Monthly scorecard: every model beside the persistence baseline at each lead.
    for (Map<String, Object> m : fixtures.monthlyMetrics) {
      String scope = m.get("scope").toString().replace("lead_", "lead ");
      String model = m.get("model").equals("elastic_net") ? "Elastic net (EWP specification)"
          : "Baseline: persistence (deaths in the last 3 months)";
      String auc = String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", m.get("auc"), m.get("auc_lower"), m.get("auc_upper"));
      assertThat(lines).as("monthly row %s %s", model, scope).anyMatch(l -> l.startsWith(model.substring(0, 8)) && l.contains(" " + scope + " own " + auc)
          && l.contains(String.format(Locale.ROOT, " %.2f ", m.get("false_alarms_per_hit_at_30"))));
    }
    // Every onset of the back-test appears as a case row with its rank one year before.
    for (Map<String, Object> c : fixtures.cases) {
      Object r1 = c.get("rank_1_before");
      assertThat(lines).as("case %s %s", c.get("country"), c.get("onset_year"))
          .anyMatch(l -> l.contains(c.get("onset_year") + " ") && l.contains(" " + (r1 == null ? "–" : r1) + " "));
    }
    assertThat(text).contains("Onsets and their warnings (EWP published back-test forecasts (2023))")
        .doesNotContain(MartFixtures.BACKTEST_MODEL);
  }

  @Test
  void riskFactorMatrixListsTheHighRiskCountriesAndAllFourteenFactors() {
    String text = Pdfs.text(file("D_en_2026-11-26_v01.pdf"));
    for (String[] f : MartFixtures.FACTORS) {
      assertThat(text).contains(f[0]);
    }
    assertThat(text).contains("Situations of armed conflict or other forms of instability");
    fixtures.forecasts.stream().filter(f -> (Boolean) f.get("highest_risk"))
        .forEach(f -> assertThat(text).contains(englishName(f)));
    // Afghanistan: mk_ever = 1 in the 2023 predictors, so RF2 is elevated; RF5 has no indicator.
    String afghanistan = text.lines().filter(l -> l.strip().startsWith("1 Afghanistan")).findFirst().orElseThrow();
    assertThat(afghanistan).contains("●").contains("–");
  }

  @Test
  void dataAndMethodsAreReadFromTheManifests() {
    String text = Pdfs.text(file("E_en_2026-11-26_v01.pdf"));
    assertThat(text).contains("Run id run-1").contains("code version test-version")
        .contains("fixture-forecast-2023").contains("published-forecasts-2023.csv.gz")
        .contains("out-of-sample-forecasts-2023.csv.gz")
        .contains("logistic regression (EWP 2023 specification)")
        .contains("Statistical Risk Assessment 2023");
  }

  @Test
  void everyFontIsEmbeddedAndChineseUsesTheCjkFace() {
    for (Path pdf : Rendered.written(first)) {
      assertThat(Pdfs.fonts(pdf)).as("fonts of %s", pdf.getFileName()).isNotEmpty()
          .allSatisfy(f -> assertThat(f[1]).as("%s embedded", f[0]).isEqualTo("true"));
    }
    assertThat(Pdfs.fonts(file("A_zh_2026-11-26_v01.pdf"))).anyMatch(f -> f[0].contains("DroidSansFallback"));
  }

  @Test
  void metadataCarriesTitleRunIdAndVintagesAndTheFileIsTaggedPdfA2() throws IOException {
    try (PDDocument doc = Pdfs.open(file("A_en_2026-11-26_v01.pdf"))) {
      PDDocumentInformation info = doc.getDocumentInformation();
      assertThat(info.getTitle()).isEqualTo("Appendix A. Country risk ranking — 2023");
      assertThat(info.getAuthor()).isEqualTo("ewarn atrocity early-warning analytics");
      assertThat(info.getSubject()).contains("Edition 2023");
      assertThat(info.getKeywords()).contains("run run-1").contains("risk_forecasts 2023")
          .contains("countries 2025-01");
      assertThat(doc.getDocumentCatalog().getStructureTreeRoot()).isNotNull();
      assertThat(doc.getDocumentCatalog().getMarkInfo().isMarked()).isTrue();
      assertThat(doc.getDocumentCatalog().getLanguage()).isEqualTo("en");
      String xmp = new String(doc.getDocumentCatalog().getMetadata().toByteArray(), StandardCharsets.UTF_8);
      assertThat(xmp).containsPattern("pdfaid:part(>|=\")2").containsPattern("pdfaid:conformance(>|=\")A");
      assertThat(doc.getDocumentCatalog().getOutputIntents()).isNotEmpty();
    }
  }

  @Test
  void indexListsEveryPublishedFile() throws IOException {
    String md = Files.readString(Rendered.indexMarkdown(first));
    String html = Files.readString(Rendered.indexHtml(first));
    for (Path p : Rendered.written(first)) {
      assertThat(md).contains("[" + p.getFileName() + "](2026/2023/" + p.getFileName() + ")");
      assertThat(html).contains("href=\"2026/2023/" + p.getFileName() + "\"");
    }
    assertThat(md).contains("## 2026 — edition 2023");
  }

  @Test
  void unchangedInputsAreANoOpAndAChangedMartBecomesTheNextVersion(@TempDir Path dir) throws IOException {
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures().publishAll(wh);
    Path out = dir.resolve("out");
    RenderResult v1 = new RenderAction(config(wh, out, List.of("en"), "run-a", DAY)).execute();
    assertThat(Rendered.written(v1)).hasSize(6);

    RenderResult again = new RenderAction(config(wh, out, List.of("en"), "run-b", DAY.plusDays(1))).execute();
    assertThat(Rendered.written(again)).isEmpty();
    assertThat(Rendered.unchanged(again)).containsExactlyInAnyOrderElementsOf(Rendered.written(v1));
    try (Stream<Path> files = Files.list(Rendered.directory(v1))) {
      assertThat(files.filter(p -> p.toString().endsWith(".pdf"))).hasSize(6);
    }

    java.util.Map<Path, String> bytesBefore = new java.util.HashMap<>();
    for (Path p : Rendered.written(v1)) {
      bytesBefore.put(p, sha256(p));
    }
    // A re-published back-test (one metric row fewer) changes A (it cites the ranked model's
    // back-test), C, E and the volume only.
    ParquetFixture metrics = new ParquetFixture();
    Files.walk(wh.resolve("backtest_metrics")).sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    for (String c : List.of("model", "protocol", "scope")) {
      metrics.column(c, ParquetFixture.Kind.STRING);
    }
    for (String c : List.of("auc", "aupr", "brier", "log_loss", "recall_at_10", "recall_at_20",
        "recall_at_30", "precision_at_30", "auc_lower", "auc_upper", "recall_at_30_lower", "recall_at_30_upper")) {
      metrics.column(c, ParquetFixture.Kind.DOUBLE);
    }
    metrics.column("onsets", ParquetFixture.Kind.INT).column("rows", ParquetFixture.Kind.INT);
    metrics.row(own.metrics.get(0)).publish(wh, "backtest_metrics", "bt-2024", "backtest", "2026-11-27T10:00:00Z");

    RenderResult v2 = new RenderAction(config(wh, out, List.of("en"), "run-c", DAY.plusDays(2))).execute();
    assertThat(Rendered.written(v2)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        "A_en_2026-11-28_v02.pdf", "C_en_2026-11-28_v02.pdf", "E_en_2026-11-28_v02.pdf", "volume_en_2026-11-28_v02.pdf");
    assertThat(Rendered.unchanged(v2)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
        "B_en_2026-11-26_v01.pdf", "D_en_2026-11-26_v01.pdf");
    // v01 is still there, byte for byte: neither the no-op run nor the new version touched it.
    for (Path p : Rendered.written(v1)) {
      assertThat(sha256(p)).as("bytes of %s", p.getFileName()).isEqualTo(bytesBefore.get(p));
    }
    String c2 = Pdfs.text(Rendered.directory(v2).resolve("C_en_2026-11-28_v02.pdf"));
    assertThat(c2).contains("lead 1 own").doesNotContain("lead 2");
    // The new A no longer finds the ranked model's pooled back-test, and says so.
    assertThat(String.join(" ", Pdfs.lines(Rendered.directory(v2).resolve("A_en_2026-11-28_v02.pdf"))))
        .contains("The back-test has not scored this model");
  }

  @Test
  void aStrayFileIsNeverOverwritten(@TempDir Path dir) throws IOException {
    Path wh = dir.resolve("warehouse");
    new MartFixtures().publishAll(wh);
    Path stray = dir.resolve("out/reports/2026/2023/A_en_2026-11-26_v01.pdf");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "not ours");
    assertThatThrownBy(() -> new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute())
        .isInstanceOf(RenderFailure.class).hasMessageContaining("refusing to overwrite").hasMessageContaining(stray.toString());
    assertThat(Files.readString(stray)).isEqualTo("not ours");
  }

  @Test
  void missingBacktestMartsGiveNoDataPagesThatSaySo(@TempDir Path dir) {
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures();
    own.publishCountries(wh);
    own.publishRisk(wh);
    RenderResult r = new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute();
    Path c = Rendered.directory(r).resolve("C_en_2026-11-26_v01.pdf");
    assertThat(Pdfs.pages(c)).isEqualTo(1);
    assertThat(Pdfs.text(c)).contains("Appendix C. Warning quality")
        .contains("This section has no data: mart backtest_metrics has not been published");
    assertThat(Pdfs.text(Rendered.directory(r).resolve("D_en_2026-11-26_v01.pdf")))
        .contains("This section has no data: mart risk_factor_profiles has not been published");
    assertThat(r.notes()).anyMatch(n -> n.startsWith("C: ") && n.contains("backtest_metrics"));
    // The other appendices are complete.
    assertThat(Pdfs.text(Rendered.directory(r).resolve("A_en_2026-11-26_v01.pdf"))).contains("1 Afghanistan 6.53");
  }

  @Test
  void anEmptyMartIsReportedAsEmpty(@TempDir Path dir) {
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures();
    own.publishCountries(wh);
    own.publishRisk(wh);
    new ParquetFixture().column("model", ParquetFixture.Kind.STRING).column("protocol", ParquetFixture.Kind.STRING)
        .publish(wh, "backtest_metrics", "bt-empty", "backtest", "2026-11-03T10:00:00Z");
    RenderResult r = new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute();
    assertThat(Pdfs.text(Rendered.directory(r).resolve("C_en_2026-11-26_v01.pdf")))
        .contains("mart backtest_metrics (vintage bt-empty) has no rows");
  }

  @Test
  void metricsWithoutCasesStillShowTheScorecard(@TempDir Path dir) throws IOException {
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures().publishAll(wh);
    try (Stream<Path> files = Files.walk(wh.resolve("backtest_cases"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    RenderResult r = new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute();
    String text = Pdfs.text(Rendered.directory(r).resolve("C_en_2026-11-26_v01.pdf"));
    assertThat(text).contains("Scorecard").contains(String.format(Locale.ROOT, "%.3f", own.metrics.get(0).get("auc")))
        .doesNotContain("no data").doesNotContain("Onsets and their warnings");
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void arabicIsSetInNotoNaskhWithTheCrosswalksArabicNames(@TempDir Path dir) {
    RenderResult r = new RenderAction(config(warehouse, dir.resolve("out"), List.of("ar"), "r", DAY)).execute();
    Path a = Rendered.directory(r).resolve("A_ar_2026-11-26_v01.pdf");
    assertThat(Pdfs.fonts(a)).anyMatch(f -> f[0].contains("NotoNaskhArabic"))
        .allSatisfy(f -> assertThat(f[1]).isEqualTo("true"));
    // Shaped Arabic comes back as presentation forms, possibly in visual order: normalise both.
    String text = java.text.Normalizer.normalize(Pdfs.text(a), java.text.Normalizer.Form.NFKC);
    String name = fixtures.countries.get(700).get("name_ar").toString();
    assertThat(text.contains(name) || text.contains(new StringBuilder(name).reverse().toString()))
        .as("%s in the Arabic ranking", name).isTrue();
  }

  @Test
  void withoutRiskForecastsThereIsNothingToRenderAndTheErrorNamesTheMart(@TempDir Path dir) {
    assertThatThrownBy(() -> new RenderAction(config(dir.resolve("wh"), dir.resolve("out"), List.of("en"), "r", DAY)).execute())
        .isInstanceOf(RenderFailure.class).hasMessageContaining("risk_forecasts has not been published");
  }

  @Test
  void aMissingColumnIsAnErrorNamingMartAndColumn(@TempDir Path dir) {
    Path wh = dir.resolve("wh");
    new ParquetFixture().column("model", ParquetFixture.Kind.STRING).column("country", ParquetFixture.Kind.STRING)
        .column("ccode", ParquetFixture.Kind.INT).column("risk", ParquetFixture.Kind.DOUBLE)
        .row(Map.of("model", "m", "country", "Afghanistan", "ccode", 700, "risk", 0.06))
        .publish(wh, "risk_forecasts", "2023", "forecast", "2026-11-02T10:00:00Z");
    assertThatThrownBy(() -> new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute())
        .isInstanceOf(RenderFailure.class).hasMessageContaining("mart risk_forecasts (vintage=2023)")
        .hasMessageContaining("'rank'");
  }

  /**
   * The forecast stage publishes every enabled model at two horizons side by side (RiskMarts via
   * ForecastAction: model × horizon 2 and 1) and names its primary model in the manifest. The
   * ranking must show the primary model's two-year rows only: each country once.
   */
  @Test
  void rankingFromForecastStageShapedMartShowsThePrimaryModelsTwoYearRowsOnly(@TempDir Path dir) {
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures();
    own.publishCountries(wh);
    ParquetFixture f = new ParquetFixture().column("model", ParquetFixture.Kind.STRING)
        .column("edition", ParquetFixture.Kind.STRING).column("country", ParquetFixture.Kind.STRING)
        .column("ccode", ParquetFixture.Kind.INT).column("gw_code", ParquetFixture.Kind.INT)
        .column("iso3", ParquetFixture.Kind.STRING).column("year", ParquetFixture.Kind.INT)
        .column("horizon", ParquetFixture.Kind.INT).column("risk", ParquetFixture.Kind.DOUBLE)
        .column("rank", ParquetFixture.Kind.INT).column("percentile", ParquetFixture.Kind.DOUBLE)
        .column("risk_previous_edition", ParquetFixture.Kind.DOUBLE).column("risk_change", ParquetFixture.Kind.DOUBLE)
        .column("highest_risk", ParquetFixture.Kind.BOOLEAN).column("risk_increased", ParquetFixture.Kind.BOOLEAN)
        .column("consistently_high", ParquetFixture.Kind.BOOLEAN);
    int n = fixtures.forecasts.size();
    for (String model : List.of("baseline_history", MartFixtures.MODEL)) {
      for (Map<String, Object> row : fixtures.forecasts) {
        int rank = (Integer) row.get("rank");
        // horizon 1 and the other model: reversed ranks and other risks, so a leak shows
        Map<String, Object> one = new java.util.HashMap<>(row);
        one.put("model", model);
        one.put("horizon", 1);
        one.put("rank", n + 1 - rank);
        one.put("risk", 0.5 * (Double) row.get("risk"));
        f.row(one);
        Map<String, Object> two = new java.util.HashMap<>(row);
        two.put("model", model);
        if (!model.equals(MartFixtures.MODEL)) {
          two.put("rank", n + 1 - rank);
          two.put("risk", 0.25 * (Double) row.get("risk"));
        }
        f.row(two);
      }
    }
    f.property("primary_model", MartFixtures.MODEL)
        .publish(wh, "risk_forecasts", MartFixtures.EDITION, "forecast", "2026-11-02T10:00:00Z");
    RenderResult r = new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute();
    List<String> lines = Pdfs.lines(Rendered.directory(r).resolve("A_en_2026-11-26_v01.pdf"));
    assertThat(lines).anyMatch(l -> l.startsWith("1 Afghanistan 6.53 6.47 +0.06"));
    assertThat(lines.stream().filter(l -> l.matches("1 \\p{L}.*"))).hasSize(1);
    assertThat(lines.stream().filter(l -> l.startsWith("1 Afghanistan"))).hasSize(1);
    String a = Pdfs.text(Rendered.directory(r).resolve("A_en_2026-11-26_v01.pdf"));
    assertThat(a).contains("Ranked by the model Elastic net (EWP specification).").doesNotContain(MartFixtures.MODEL);
    // A mart from before intervals: no interval column, nothing printed in its place.
    assertThat(a).doesNotContain("% interval");
  }

  @Test
  void rankingNamesThePrimaryModelItsRuleAndBacktestAndShowsEachCountrysInterval() {
    List<String> lines = Pdfs.lines(file("A_en_2026-11-26_v01.pdf"));
    String text = String.join(" ", lines);
    Map<String, Object> pooled = fixtures.metrics.stream()
        .filter(m -> MartFixtures.MODEL.equals(m.get("model")) && "own".equals(m.get("sample"))).findFirst().orElseThrow();
    assertThat(text).contains("Ranked by the model Elastic net (EWP specification).")
        .contains("It is the forecast's primary model by the margin rule: Elastic net (EWP specification) unless another of"
            + " Elastic net (EWP specification), Random forest, Gradient-boosted trees, Ensemble (average of the models)"
            + " beats its pooled back-test AUC by at least 0.01 with a recall in the top 30 at least as high")
        .contains("Evidence: pooled AUC 0.802, recall in the top 30 0.583 (36 onsets in 6,120 country-years), annual"
            + " back-test run bt-run-7 (backtest_metrics bt-2023, pooled, own sample).")
        .contains("No candidate beats Elastic net (EWP specification) by 0.01 in AUC with no lower recall.")
        .contains("Others: Random forest AUC 0.789, recall 0.556; Gradient-boosted trees AUC 0.781, recall 0.528;")
        .doesNotContain("recall@")
        .contains(String.format(Locale.ROOT, "AUC %.3f (%.3f–%.3f)", pooled.get("auc"), pooled.get("auc_lower"), pooled.get("auc_upper")))
        .contains(String.format(Locale.ROOT, "%d onsets", pooled.get("onsets")))
        .contains("90% interval");
    for (Map<String, Object> f : fixtures.forecasts) {
      double[] band = fixtures.intervals.get((Integer) f.get("ccode"));
      String interval = percent(band[0]) + "–" + percent(band[1]);
      String prefix = f.get("rank") + " " + englishName(f) + " " + percent((Double) f.get("risk")) + " " + interval;
      assertThat(lines).as("interval of %s", f.get("country")).anyMatch(l -> l.startsWith(prefix));
    }
  }

  static String percent(double p) {
    return java.math.BigDecimal.valueOf(p).movePointRight(2).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  static String sha256(Path p) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void monthlyOutcomesAndCoverageComeFromThePanelManifest(@TempDir Path dir) throws IOException {
    String e = Pdfs.text(file("E_en_2026-11-26_v01.pdf"));
    assertThat(e).contains("Monthly outcome definitions").contains("os_escalation_onset: " + MartFixtures.OUTCOME)
        .contains("Data coverage").contains("ged_cm_views: " + MartFixtures.COVERAGE);
    Path wh = dir.resolve("warehouse");
    MartFixtures own = new MartFixtures();
    own.publishCountries(wh);
    own.publishRisk(wh);
    RenderResult r = new RenderAction(config(wh, dir.resolve("out"), List.of("en"), "r", DAY)).execute();
    assertThat(Pdfs.text(Rendered.directory(r).resolve("E_en_2026-11-26_v01.pdf")))
        .contains("not available: mart panel_country_month has not been published");
  }

  /** risk_trajectories comes one partition per edition; a country's path joins them up to the edition. */
  @Test
  void trajectoriesJoinEveryEditionsPartitionUpToTheReportedEdition() {
    Mart traj = new Marts(org.ewarn.warehouse.Warehouse.open(warehouse.toString()), "latest").mart("risk_trajectories").orElseThrow();
    assertThat(traj.vintage()).isEqualTo(MartFixtures.EDITION);
    assertThat(traj.rows()).hasSize(fixtures.trajectories.size());
    assertThat(traj.rows().stream().map(r -> Mart.text(r, "edition")).distinct().sorted())
        .containsExactly("2019", "2022", "2023");
  }

  @Test
  void aSecondRenderOfTheSameOutputRootIsRefusedAsLockedAndWritesNothing(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    try (org.ewarn.warehouse.RunLock held = org.ewarn.warehouse.Storage.open(out.toString())
        .lock(Publication.LOCK, "a render in progress", org.ewarn.warehouse.RunLock.Policy.DEFAULT)) {
      assertThatThrownBy(() -> new RenderAction(config(warehouse, out, List.of("en"), "run-x", DAY)).execute())
          .isInstanceOfSatisfying(RenderFailure.class, f -> assertThat(f.isLocked()).isTrue())
          .hasMessageContaining("a render in progress");
    }
    assertThat(out.resolve("reports")).doesNotExist();
  }
}
