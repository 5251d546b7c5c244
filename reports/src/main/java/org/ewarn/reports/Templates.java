package org.ewarn.reports;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperReport;

/**
 * The appendix templates, compiled once per JVM from the classpath. JRXML expressions are code, so
 * templates are never read from a user-supplied path.
 */
final class Templates {
  static final String DIR = "/org/ewarn/reports/templates/";
  private static final Map<String, JasperReport> COMPILED = new ConcurrentHashMap<>();

  private Templates() {}

  static JasperReport compiled(String name) {
    return COMPILED.computeIfAbsent(name, Templates::compile);
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

  private static JasperReport compile(String name) {
    try (InputStream in = Templates.class.getResourceAsStream(DIR + name + ".jrxml")) {
      if (in == null) {
        throw new IllegalStateException("template " + name + ".jrxml is missing from the classpath");
      }
      return JasperCompileManager.compileReport(in);
    } catch (IOException | JRException e) {
      throw new IllegalStateException("template " + name + " does not compile: " + e.getMessage(), e);
    }
  }
}
