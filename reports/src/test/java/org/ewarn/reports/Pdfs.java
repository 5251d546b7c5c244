package org.ewarn.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reading rendered PDFs back with PDFBox, as a reader of the published files would. */
final class Pdfs {
  private Pdfs() {}

  static PDDocument open(Path pdf) {
    try {
      return Loader.loadPDF(pdf.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text in reading order by position, one line per printed line. */
  static String text(Path pdf) {
    try (PDDocument doc = open(pdf)) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      return stripper.getText(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(Path pdf) {
    return text(pdf).lines().map(String::strip).toList();
  }

  static int pages(Path pdf) {
    try (PDDocument doc = open(pdf)) {
      return doc.getNumberOfPages();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Name and embedded flag of every font used on any page (including inside form XObjects). */
  static List<String[]> fonts(Path pdf) {
    List<String[]> out = new ArrayList<>();
    try (PDDocument doc = open(pdf)) {
      for (PDPage page : doc.getPages()) {
        collect(page.getResources(), out, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void collect(PDResources resources, List<String[]> out, int depth) throws IOException {
    if (resources == null || depth > 5) {
      return;
    }
    for (COSName name : resources.getFontNames()) {
      PDFont font = resources.getFont(name);
      out.add(new String[] {font.getName(), Boolean.toString(font.isEmbedded())});
    }
    for (COSName name : resources.getXObjectNames()) {
      if (resources.getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
        collect(form.getResources(), out, depth + 1);
      }
    }
  }
}
