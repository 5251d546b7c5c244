package org.ewarn.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of the block-built appendices (C, E): each row is one section, a heading with its table,
 * text or charts, printed by a detail band of its kind that may not split on its first page. So a
 * heading always starts on the page its content starts on; JasperReports would otherwise leave
 * a heading at the foot of a page and move the chart under it to the next.
 */
final class Blocks {
  /** Columns of the generic score table. */
  static final int COLUMNS = 10;

  private Blocks() {}

  static Map<String, Object> text(String heading, String body) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", "text");
    b.put("heading", heading);
    b.put("body", body);
    return b;
  }

  /** A table of up to {@link #COLUMNS} columns c1…c10 under headers h1…h10, with a note. */
  static Map<String, Object> table(String heading, List<String> headers, List<Map<String, ?>> rows, String note) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", "table");
    b.put("heading", heading);
    for (int i = 0; i < COLUMNS; i++) {
      b.put("h" + (i + 1), i < headers.size() ? headers.get(i) : "");
    }
    b.put("rows", new ArrayList<>(rows));
    b.put("body", note);
    return b;
  }

  static Map<String, ?> cells(List<String> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < COLUMNS; i++) {
      row.put("c" + (i + 1), i < values.size() ? values.get(i) : "");
    }
    return row;
  }

  /** Two charts side by side, each with its heading, a styled legend line and a note. */
  static Map<String, Object> charts(Chart left, Chart right) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", "charts");
    b.put("heading", left.heading());
    b.put("left", left.image());
    b.put("body", left.note());
    b.put("legend", left.legend());
    b.put("heading2", right.heading());
    b.put("right", right.image());
    b.put("body2", right.note());
    b.put("legend2", right.legend());
    return b;
  }

  record Chart(String heading, Object image, String legend, String note) {}

  /** Small multiples, three a row: each a caption over a chart. */
  static Map<String, Object> multiples(String heading, String note, List<Map<String, ?>> panels) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", "multiples");
    b.put("heading", heading);
    b.put("body", note);
    b.put("rows", new ArrayList<>(panels));
    return b;
  }

  static Map<String, ?> panel(String caption, Object chart) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("caption", caption);
    p.put("chart", chart);
    return p;
  }

  /** A block of a kind only one appendix prints (C's case table, E's mart table). */
  static Map<String, Object> rows(String kind, String heading, List<Map<String, ?>> rows) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("kind", kind);
    b.put("heading", heading);
    b.put("rows", new ArrayList<>(rows));
    return b;
  }

  /** A styled-markup legend: a coloured square per series, then its name. */
  static String legend(Map<String, java.awt.Color> series) {
    StringBuilder b = new StringBuilder();
    series.forEach((name, color) -> {
      if (b.length() > 0) {
        b.append("   ");
      }
      b.append("<style forecolor=\"").append(String.format("#%06X", color.getRGB() & 0xFFFFFF))
          .append("\">■</style> ").append(escape(name));
    });
    return b.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
