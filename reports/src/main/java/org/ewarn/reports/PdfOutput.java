package org.ewarn.reports;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.SimpleJasperReportsContext;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.pdf.JRPdfExporter;
import net.sf.jasperreports.pdf.SimplePdfExporterConfiguration;
import net.sf.jasperreports.pdf.SimplePdfReportConfiguration;
import net.sf.jasperreports.pdf.type.PdfaConformanceEnum;

/**
 * Exports filled appendices as tagged PDF/A-2a with embedded fonts and provenance metadata.
 * Several prints exported together make the volume (one bookmark per appendix).
 */
final class PdfOutput {
  /** Document metadata: keywords carry the run id and the marts' vintages. */
  record Metadata(String title, String subject, String author, String keywords, String language) {}

  private static volatile Path iccProfile;

  private PdfOutput() {}

  /**
   * The exporter's fallback font is Helvetica, not embedded, which PDF/A forbids even when no text
   * uses it; DejaVu Sans from jasperreports-fonts takes its place.
   */
  private static final SimpleJasperReportsContext CONTEXT = new SimpleJasperReportsContext();

  static {
    ClasspathOnly.ensure();
    CONTEXT.setProperty("net.sf.jasperreports.default.pdf.font.name",
        "net/sf/jasperreports/fonts/dejavu/DejaVuSans.ttf");
    CONTEXT.setProperty("net.sf.jasperreports.default.pdf.encoding", "Identity-H");
    CONTEXT.setProperty("net.sf.jasperreports.default.pdf.embedded", "true");
    ClasspathOnly.registerPdfFonts(CONTEXT, CONTEXT.getProperty("net.sf.jasperreports.default.pdf.font.name"));
  }

  static byte[] export(List<JasperPrint> prints, Metadata metadata) {
    JRPdfExporter exporter = new JRPdfExporter(CONTEXT);
    exporter.setExporterInput(SimpleExporterInput.getInstance(prints));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(bytes));
    SimplePdfExporterConfiguration c = new SimplePdfExporterConfiguration();
    c.setMetadataTitle(metadata.title());
    c.setMetadataSubject(metadata.subject());
    c.setMetadataAuthor(metadata.author());
    c.setMetadataKeywords(metadata.keywords());
    c.setMetadataCreator("ewarn render");
    c.setDisplayMetadataTitle(true);
    c.setTagged(true);
    c.setTagLanguage(metadata.language());
    c.setPdfaConformance(PdfaConformanceEnum.PDFA_2A);
    // a file: URL, not a path: file lookups are off (ClasspathOnly)
    c.setIccProfilePath(srgbProfile().toUri().toString());
    c.setEmbedIccProfile(true);
    c.setCreatingBatchModeBookmarks(prints.size() > 1);
    exporter.setConfiguration(c);
    SimplePdfReportConfiguration r = new SimplePdfReportConfiguration();
    r.setForceLineBreakPolicy(false);
    exporter.setConfiguration(r);
    try {
      exporter.exportReport();
    } catch (JRException e) {
      throw new IllegalStateException("PDF export failed: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * PDF/A needs an output-intent ICC profile; the JDK's built-in sRGB profile is written once to a
   * temporary file because the exporter takes a location, not bytes.
   */
  private static Path srgbProfile() {
    Path p = iccProfile;
    if (p == null) {
      synchronized (PdfOutput.class) {
        if (iccProfile == null) {
          try {
            Path f = Files.createTempFile("ewarn-srgb", ".icc");
            Files.write(f, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
            f.toFile().deleteOnExit();
            iccProfile = f;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the sRGB profile for PDF/A", e);
          }
        }
        p = iccProfile;
      }
    }
    return p;
  }
}
