package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates (.jrxml, .jasper, .jrtx), font definitions and font files load from the classpath only.
 * JasperReports' default repository resolves a relative location such as
 * {@code org/ewarn/reports/templates/styles.jrtx} against the working directory before the
 * classpath, so a render started in a folder holding files of those names would use them. Here a
 * render runs in a child JVM whose working directory holds a decoy of every resource the report
 * loads, each of which would show in the PDF if it were read: fonts of another face (DejaVu Sans
 * Mono, DejaVu Serif) under the bundled fonts' names, style templates and a font definition naming
 * DejaVu Serif, a template whose title says DECOY, an unreadable compiled template and a
 * {@code jasperreports.properties} that turns file lookups back on. {@code pdffonts} (poppler) then
 * lists the fonts embedded in the PDFs: only the bundled faces, all embedded.
 */
class ClasspathResourcesTest {
  private static final String TEMPLATES = "org/ewarn/reports/templates/";
  private static final String FONTS = "org/ewarn/reports/fonts/";
  private static final String DEJAVU = "net/sf/jasperreports/fonts/dejavu/";

  @Test
  void aRenderInAFolderOfDecoysReadsEveryTemplateAndFontFromTheClasspath(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("warehouse");
    new MartFixtures().publishAll(wh);
    Path cwd = dir.resolve("decoys");
    plantDecoys(cwd);

    Path out = dir.resolve("out").toAbsolutePath();
    RenderResult r = renderIn(cwd, RenderActionTest.config(wh.toAbsolutePath(), out, List.of("en", "zh", "ar"),
        "run-cp", RenderActionTest.DAY));

    assertThat(Rendered.written(r)).hasSize(18);
    List<String> names = new ArrayList<>();
    for (String lang : List.of("en", "zh", "ar")) {
      Path volume = Rendered.directory(r).resolve("volume_" + lang + "_2026-11-26_v01.pdf");
      for (String[] font : pdffonts(volume)) {
        assertThat(font[1]).as("%s embedded in %s", font[0], volume.getFileName()).isEqualTo("yes");
        names.add(font[0].replaceFirst("^[A-Z]{6}\\+", ""));
      }
      assertThat(Pdfs.text(Rendered.directory(r).resolve("A_" + lang + "_2026-11-26_v01.pdf"))).doesNotContain("DECOY");
    }
    assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).doesNotContain("Mono").doesNotContain("Serif"));
    // the bundled faces: DejaVu Sans (Latin), Droid Sans Fallback (Chinese), Noto Naskh (Arabic)
    assertThat(names).anyMatch(n -> n.startsWith("DejaVuSans")).anyMatch(n -> n.startsWith("DroidSans"))
        .anyMatch(n -> n.startsWith("NotoNaskhArabic"));
    assertThat(Pdfs.text(Rendered.directory(r).resolve("A_en_2026-11-26_v01.pdf"))).contains("Appendix A");
    // nothing was written into the working directory either
    try (var files = Files.walk(cwd)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(DECOYS);
    }
  }

  private static final long DECOYS = 16;

  /** A decoy of every location the render loads, at that location under {@code cwd} (and at its root). */
  private static void plantDecoys(Path cwd) throws IOException {
    byte[] mono = resource(DEJAVU + "DejaVuSansMono.ttf");
    byte[] monoBold = resource(DEJAVU + "DejaVuSansMono-Bold.ttf");
    byte[] serif = resource(DEJAVU + "DejaVuSerif.ttf");
    write(cwd.resolve(DEJAVU + "DejaVuSans.ttf"), mono);
    write(cwd.resolve(DEJAVU + "DejaVuSans-Bold.ttf"), monoBold);
    write(cwd.resolve(FONTS + "DroidSansFallbackFull.ttf"), serif);
    write(cwd.resolve(FONTS + "NotoNaskhArabic-Regular.ttf"), serif);
    write(cwd.resolve(FONTS + "NotoNaskhArabic-Bold.ttf"), serif);
    write(cwd.resolve(FONTS + "fonts.xml"), ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fontFamilies>\n"
        + "<fontFamily name=\"Ewarn Sans\"><normal>" + DEJAVU + "DejaVuSerif.ttf</normal>"
        + "<pdfEncoding>Identity-H</pdfEncoding><pdfEmbedded>true</pdfEmbedded></fontFamily>\n"
        + "</fontFamilies>\n").getBytes(StandardCharsets.UTF_8));
    for (String styles : List.of("styles.jrtx", "styles-rtl.jrtx")) {
      byte[] decoy = new String(resource(TEMPLATES + styles), StandardCharsets.UTF_8)
          .replace("fontName=\"Ewarn Sans\"", "fontName=\"DejaVu Serif\"").getBytes(StandardCharsets.UTF_8);
      write(cwd.resolve(TEMPLATES + styles), decoy);
      write(cwd.resolve(styles), decoy);
    }
    byte[] template = new String(resource(TEMPLATES + "A_ranking.jrxml"), StandardCharsets.UTF_8)
        .replace("$R{a.title}", "\"DECOY TEMPLATE\"").getBytes(StandardCharsets.UTF_8);
    write(cwd.resolve(TEMPLATES + "A_ranking.jrxml"), template);
    write(cwd.resolve("A_ranking.jrxml"), template);
    byte[] notCompiled = "not a compiled report".getBytes(StandardCharsets.UTF_8);
    write(cwd.resolve(TEMPLATES + "A_ranking.jasper"), notCompiled);
    write(cwd.resolve("A_ranking.jasper"), notCompiled);
    byte[] properties = ("net.sf.jasperreports.default.file.repository.enabled=true\n"
        + "net.sf.jasperreports.default.font.name=DejaVu Serif\n"
        + "net.sf.jasperreports.default.pdf.font.name=" + DEJAVU + "DejaVuSerif.ttf\n")
        .getBytes(StandardCharsets.UTF_8);
    write(cwd.resolve("jasperreports.properties"), properties);
    write(cwd.resolve("jasperreports_extension.properties"),
        ("net.sf.jasperreports.extension.registry.factory.simple.font.families="
            + "net.sf.jasperreports.engine.fonts.SimpleFontExtensionsRegistryFactory\n"
            + "net.sf.jasperreports.extension.simple.font.families.decoy=" + FONTS + "fonts.xml\n")
            .getBytes(StandardCharsets.UTF_8));
    try (var files = Files.walk(cwd)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(DECOYS);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ClasspathResourcesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  /** {@link RenderProcess#execute}, with the child's working directory set. */
  private static RenderResult renderIn(Path cwd, RenderConfig config) throws Exception {
    Path request = Files.createTempFile("render-request", ".json");
    Path response = Files.createTempFile("render-result", ".json");
    Path arguments = Files.createTempFile("java", ".args");
    ObjectMapper json = new ObjectMapper();
    json.writeValue(request.toFile(), RenderProcess.toJson(config));
    Files.writeString(arguments, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-Xmx1g", "@" + arguments, RenderProcess.class.getName(),
        request.toString(), response.toString())
        .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
    JsonNode out = json.readTree(response.toFile());
    assertThat(child.exitValue()).as("child exit; %s", out).isZero();
    return RenderProcess.fromJson(out.get("result"));
  }

  /** {name, emb} of each font pdffonts lists. */
  private static List<String[]> pdffonts(Path pdf) throws Exception {
    Process p = new ProcessBuilder("pdffonts", pdf.toString()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(text).isZero();
    List<String[]> fonts = new ArrayList<>();
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).startsWith("name");
    for (String line : lines.subList(2, lines.size())) {
      String[] t = line.trim().split("\\s+");
      // name type… encoding emb sub uni object ID
      fonts.add(new String[] {t[0], t[t.length - 5]});
    }
    return fonts;
  }
}
