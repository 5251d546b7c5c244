package org.ewarn.reports;

import com.lowagie.text.pdf.BaseFont;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JRPropertiesUtil;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.fonts.FontFace;
import net.sf.jasperreports.engine.fonts.FontFamily;
import net.sf.jasperreports.repo.DefaultRepositoryService;

/**
 * Templates (.jrxml, .jrtx), font definitions and font files load from the classpath only, whatever
 * the working directory holds. Two lookups in the libraries would otherwise prefer a file:
 *
 * <ul>
 *   <li>JasperReports' default repository resolves a location as a URL, then as a file relative to
 *       the working directory, then on the classpath: a folder holding e.g.
 *       {@code org/ewarn/reports/templates/styles.jrtx} would supply the styles, and
 *       {@code net/sf/jasperreports/fonts/dejavu/DejaVuSans.ttf} the glyph metrics. The module's
 *       {@code jasperreports.properties} turns the file step off; this sets it again on the default
 *       context, in case another file of that name is read instead.
 *   <li>The PDF exporter asks OpenPDF for each font by its location first, and OpenPDF reads a
 *       readable file of that name before the classpath resource: the embedded font would be the
 *       file's. {@link #registerPdfFonts} gives OpenPDF every font face of the font extensions,
 *       built from the classpath bytes, under the name, encoding and embedding the exporter asks
 *       for (OpenPDF's font cache), so it never looks for the file.
 * </ul>
 *
 * Every location the report passes to JasperReports is a classpath name, except the sRGB profile,
 * which {@link PdfOutput} passes as a {@code file:} URL of the file it wrote itself.
 * {@code ClasspathResourcesTest} renders in a folder of decoys.
 */
final class ClasspathOnly {
  private static volatile boolean pdfFontsRegistered;

  static {
    DefaultJasperReportsContext.getInstance().setProperty(DefaultRepositoryService.PROPERTY_FILES_ENABLED, "false");
  }

  private ClasspathOnly() {}

  /** Loads the class (its static initialiser turns file lookups off); idempotent. */
  static void ensure() {
    // nothing: the static initialiser did it
  }

  /** Registers the PDF font faces with OpenPDF from the classpath, once per JVM; see the class comment. */
  static void registerPdfFonts(JasperReportsContext context, String defaultPdfFont) {
    if (pdfFontsRegistered) {
      return;
    }
    synchronized (ClasspathOnly.class) {
      if (pdfFontsRegistered) {
        return;
      }
      JRPropertiesUtil properties = JRPropertiesUtil.getInstance(context);
      String defaultEncoding = properties.getProperty("net.sf.jasperreports.default.pdf.encoding");
      boolean defaultEmbedded = properties.getBooleanProperty("net.sf.jasperreports.default.pdf.embedded");
      register(defaultPdfFont, defaultEncoding, defaultEmbedded);
      for (FontFamily family : context.getExtensions(FontFamily.class)) {
        String encoding = family.getPdfEncoding() != null ? family.getPdfEncoding() : defaultEncoding;
        boolean embedded = family.isPdfEmbedded() != null ? family.isPdfEmbedded() : defaultEmbedded;
        Set<String> locations = new LinkedHashSet<>();
        for (FontFace face : new FontFace[] {family.getNormalFace(), family.getBoldFace(), family.getItalicFace(),
            family.getBoldItalicFace()}) {
          if (face != null) {
            locations.add(face.getPdf() != null ? face.getPdf() : face.getTtf());
          }
        }
        for (String location : locations) {
          register(location, encoding, embedded);
        }
      }
      pdfFontsRegistered = true;
    }
  }

  private static void register(String location, String encoding, boolean embedded) {
    if (location == null || encoding == null || !location.toLowerCase(Locale.ROOT).endsWith(".ttf")) {
      return;
    }
    byte[] bytes;
    try (InputStream in = ClasspathOnly.class.getClassLoader().getResourceAsStream(location)) {
      if (in == null) {
        return; // not a classpath font: the exporter's own failure names it
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read font " + location + " from the classpath", e);
    }
    try {
      // cached = true: the exporter's FontFactory.getFont(location, encoding, embedded, …) finds it
      BaseFont.createFont(location, encoding, embedded, true, bytes, null);
    } catch (com.lowagie.text.DocumentException | IOException e) {
      throw new IllegalStateException("font " + location + " from the classpath does not load: " + e.getMessage(), e);
    }
  }
}
