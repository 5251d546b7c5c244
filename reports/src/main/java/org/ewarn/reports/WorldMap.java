package org.ewarn.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.renderers.AbstractRenderer;
import net.sf.jasperreports.renderers.Graphics2DRenderable;

/**
 * A world choropleth of risk drawn as vector shapes from the Natural Earth TopoJSON bundled with
 * the module (world-atlas 2.0.2, 1:110m; {@code id} = ISO 3166-1 numeric). Decoding TopoJSON is a
 * few lines (delta-encoded quantised arcs); a GIS library would be a much larger dependency.
 */
final class WorldMap {
  static final String RESOURCE = "/org/ewarn/reports/maps/world-atlas-countries-110m.json";
  /** Risk class upper bounds in percent and their colours (light to dark). */
  static final double[] BREAKS = {1, 2, 4, 8, Double.MAX_VALUE};
  static final Color[] FILLS = {new Color(0xFEE8C8), new Color(0xFDBB84), new Color(0xFC8D59),
      new Color(0xE34A33), new Color(0xB30000)};
  static final Color NOT_ASSESSED = new Color(0xD9D9D9);
  // Antarctica (010) is left out: it has no risk and would take a quarter of the height.
  private static final String ANTARCTICA = "010";
  private static volatile Map<Integer, Path2D> shapes;

  private WorldMap() {}

  /** Country outlines in degrees (x = longitude, y = -latitude), by ISO numeric code. */
  static Map<Integer, Path2D> shapes() {
    Map<Integer, Path2D> s = shapes;
    if (s == null) {
      synchronized (WorldMap.class) {
        if (shapes == null) {
          shapes = decode();
        }
        s = shapes;
      }
    }
    return s;
  }

  private static Map<Integer, Path2D> decode() {
    JsonNode topo;
    try (InputStream in = WorldMap.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("map " + RESOURCE + " is missing from the classpath");
      }
      topo = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    double sx = topo.path("transform").path("scale").path(0).asDouble(1);
    double sy = topo.path("transform").path("scale").path(1).asDouble(1);
    double tx = topo.path("transform").path("translate").path(0).asDouble(0);
    double ty = topo.path("transform").path("translate").path(1).asDouble(0);
    List<double[][]> arcs = new ArrayList<>();
    for (JsonNode arc : topo.path("arcs")) {
      double[][] pts = new double[arc.size()][2];
      long x = 0;
      long y = 0;
      for (int i = 0; i < arc.size(); i++) {
        x += arc.get(i).get(0).asLong();
        y += arc.get(i).get(1).asLong();
        pts[i][0] = x * sx + tx;
        pts[i][1] = -(y * sy + ty);
      }
      arcs.add(pts);
    }
    Map<Integer, Path2D> out = new LinkedHashMap<>();
    for (JsonNode geometry : topo.path("objects").path("countries").path("geometries")) {
      String id = geometry.path("id").asText("");
      if (id.isEmpty() || id.equals(ANTARCTICA)) {
        continue;
      }
      Path2D path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
      JsonNode polygons = geometry.path("type").asText().equals("MultiPolygon")
          ? geometry.path("arcs")
          : new ObjectMapper().createArrayNode().add(geometry.path("arcs"));
      for (JsonNode polygon : polygons) {
        for (JsonNode ring : polygon) {
          boolean first = true;
          for (JsonNode ref : ring) {
            int index = ref.asInt();
            double[][] pts = arcs.get(index >= 0 ? index : ~index);
            for (int k = 0; k < pts.length; k++) {
              double[] p = pts[index >= 0 ? k : pts.length - 1 - k];
              if (first) {
                path.moveTo(p[0], p[1]);
                first = false;
              } else if (k > 0) {
                path.lineTo(p[0], p[1]);
              }
            }
          }
          path.closePath();
        }
      }
      out.put(Integer.parseInt(id), path);
    }
    return out;
  }

  static Color fill(Double riskPercent) {
    if (riskPercent == null) {
      return NOT_ASSESSED;
    }
    for (int i = 0; i < BREAKS.length; i++) {
      if (riskPercent < BREAKS[i]) {
        return FILLS[i];
      }
    }
    return FILLS[FILLS.length - 1];
  }

  /** The map for one edition: risk in percent by ISO numeric code. */
  static final class Choropleth extends AbstractRenderer implements Graphics2DRenderable {
    private static final long serialVersionUID = 1L;
    private final Map<Integer, Double> riskByIsoNumeric;

    Choropleth(Map<Integer, Double> riskByIsoNumeric) {
      this.riskByIsoNumeric = Map.copyOf(riskByIsoNumeric);
    }

    @Override
    public void render(JasperReportsContext context, Graphics2D g0, Rectangle2D area) {
      Graphics2D g = (Graphics2D) g0.create();
      try {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double legendHeight = 16;
        Rectangle2D mapArea = new Rectangle2D.Double(area.getX(), area.getY(), area.getWidth(),
            area.getHeight() - legendHeight);
        // Equirectangular, latitudes -58..84: the populated world at the box's aspect ratio.
        double west = -180;
        double east = 180;
        double north = -84;
        double south = 58;
        double scale = Math.min(mapArea.getWidth() / (east - west), mapArea.getHeight() / (south - north));
        double offsetX = mapArea.getX() + (mapArea.getWidth() - scale * (east - west)) / 2;
        double offsetY = mapArea.getY() + (mapArea.getHeight() - scale * (south - north)) / 2;
        AffineTransform toPage = new AffineTransform(scale, 0, 0, scale, offsetX - west * scale,
            offsetY - north * scale);
        g.setClip(mapArea);
        g.setStroke(new BasicStroke(0.25f));
        for (Map.Entry<Integer, Path2D> e : shapes().entrySet()) {
          java.awt.Shape s = toPage.createTransformedShape(e.getValue());
          g.setColor(fill(riskByIsoNumeric.get(e.getKey())));
          g.fill(s);
          g.setColor(Color.WHITE);
          g.draw(s);
        }
        g.setClip(null);
        drawLegend(g, area.getX(), area.getMaxY() - legendHeight + 3);
      } finally {
        g.dispose();
      }
    }

    private void drawLegend(Graphics2D g, double x, double y) {
      g.setFont(Charts.font(7));
      String[] labels = {"< 1", "1–2", "2–4", "4–8", "≥ 8"};
      double cx = x;
      for (int i = 0; i < FILLS.length; i++) {
        g.setColor(FILLS[i]);
        g.fill(new Rectangle2D.Double(cx, y, 18, 9));
        g.setColor(Charts.INK);
        g.drawString(labels[i] + " %", (float) (cx + 22), (float) (y + 8));
        cx += 70;
      }
      g.setColor(NOT_ASSESSED);
      g.fill(new Rectangle2D.Double(cx, y, 18, 9));
      g.setColor(Charts.INK);
      g.drawString("–", (float) (cx + 22), (float) (y + 8));
    }
  }
}
