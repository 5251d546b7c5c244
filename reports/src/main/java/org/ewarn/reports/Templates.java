package org.ewarn.reports;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jasperreports.components.list.ListComponent;
import net.sf.jasperreports.engine.JRBand;
import net.sf.jasperreports.engine.JRElement;
import net.sf.jasperreports.engine.JRElementGroup;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRGroup;
import net.sf.jasperreports.engine.design.JRDesignComponentElement;
import net.sf.jasperreports.engine.design.JRDesignElement;
import net.sf.jasperreports.engine.design.JRDesignFrame;
import net.sf.jasperreports.engine.design.JasperDesign;
import net.sf.jasperreports.engine.type.RunDirectionEnum;
import net.sf.jasperreports.engine.xml.JRXmlLoader;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperReport;

/**
 * The appendix templates, compiled once per JVM from the classpath. JRXML expressions are code, so
 * templates are never read from a user-supplied path.
 */
final class Templates {
  static final String DIR = "/org/ewarn/reports/templates/";
  private static final Map<String, JasperReport> COMPILED = new ConcurrentHashMap<>();

  static {
    ClasspathOnly.ensure();
  }

  private Templates() {}

  /** The template, mirrored for right-to-left languages (columns and boxes run right to left). */
  static JasperReport compiled(String name, boolean rightToLeft) {
    return COMPILED.computeIfAbsent(name + (rightToLeft ? "#rtl" : ""), k -> compile(name, rightToLeft));
  }

  static String stylesLocation(boolean rightToLeft) {
    return DIR.substring(1) + (rightToLeft ? "styles-rtl.jrtx" : "styles.jrtx");
  }

  static byte[] bytes(String resource) {
    try (InputStream in = Templates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JasperReport compile(String name, boolean rightToLeft) {
    try (InputStream in = Templates.class.getResourceAsStream(DIR + name + ".jrxml")) {
      if (in == null) {
        throw new IllegalStateException("template " + name + ".jrxml is missing from the classpath");
      }
      JasperDesign design = JRXmlLoader.load(in);
      if (rightToLeft) {
        mirror(design);
      }
      return JasperCompileManager.compileReport(design);
    } catch (IOException | JRException e) {
      throw new IllegalStateException("template " + name + " does not compile: " + e.getMessage(), e);
    }
  }

  /**
   * Mirrors every element horizontally within its band, frame or list: one template serves both
   * directions, and the text styles (styles-rtl.jrtx) align right.
   */
  static void mirror(JasperDesign design) {
    int page = design.getPageWidth() - design.getLeftMargin() - design.getRightMargin();
    int column = design.getColumnWidth();
    for (JRBand band : new JRBand[] {design.getTitle(), design.getPageHeader(), design.getPageFooter(),
        design.getLastPageFooter(), design.getSummary(), design.getNoData(), design.getBackground()}) {
      mirror(band, page);
    }
    mirror(design.getColumnHeader(), column);
    mirror(design.getColumnFooter(), column);
    for (JRBand band : design.getDetailSection().getBands()) {
      mirror(band, column);
    }
    for (JRGroup group : design.getGroups()) {
      for (JRBand band : group.getGroupHeaderSection().getBands()) {
        mirror(band, column);
      }
      for (JRBand band : group.getGroupFooterSection().getBands()) {
        mirror(band, column);
      }
    }
    if (design.getColumnCount() != null && design.getColumnCount() > 1) {
      design.setColumnDirection(RunDirectionEnum.RTL);
    }
  }

  private static void mirror(JRElementGroup group, int width) {
    if (group == null) {
      return;
    }
    for (JRElement e : group.getElements()) {
      ((JRDesignElement) e).setX(width - e.getX() - e.getWidth());
      if (e instanceof JRDesignFrame frame) {
        mirror(frame, frame.getWidth());
      } else if (e instanceof JRDesignComponentElement c && c.getComponent() instanceof ListComponent list) {
        Integer contentsWidth = list.getContents().getWidth();
        mirror(list.getContents(), contentsWidth != null ? contentsWidth : c.getWidth());
      }
    }
  }
}
