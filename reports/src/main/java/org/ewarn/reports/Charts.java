package org.ewarn.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.fonts.FontUtil;
import net.sf.jasperreports.renderers.AbstractRenderer;
import net.sf.jasperreports.renderers.Graphics2DRenderable;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The appendix charts, drawn with JFreeChart straight onto the PDF's Graphics2D (vector, not
 * bitmaps). Charts carry numbers only: every word around them is a template text field, so it is
 * translated and set in the embedded fonts.
 */
final class Charts {
  static final Color INK = new Color(0x1A1A1A);
  static final Color RISK = new Color(0x0B3C5D);
  static final Color RANK = new Color(0xD9822B);
  static final Color GRID = new Color(0xDDDDDD);
  static final Color FLAGGED = new Color(0x0B3C5D);
  static final Color MISSED = new Color(0xC0392B);
  private static final Color[] SERIES = {RISK, RANK, new Color(0x2E8B57), new Color(0x8E44AD), MISSED};

  private Charts() {}

  /** A JFreeChart as a JasperReports image: drawn when the page is exported. */
  static final class Chart extends AbstractRenderer implements Graphics2DRenderable {
    private static final long serialVersionUID = 1L;
    private final transient JFreeChart chart;

    Chart(JFreeChart chart) {
      this.chart = chart;
    }

    @Override
    public void render(JasperReportsContext context, Graphics2D g, Rectangle2D area) {
      chart.draw(g, area);
    }
  }

  static Font font(float size) {
    // DejaVu Sans from the font extension, so the exporter embeds the same face the pages use.
    Font f = FontUtil.getInstance(DefaultJasperReportsContext.getInstance())
        .getAwtFontFromBundles("DejaVu Sans", Font.PLAIN, size, Locale.ROOT, true);
    return f != null ? f : new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(size));
  }

  private static JFreeChart bare(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    JFreeChart chart = new JFreeChart(null, font(7), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(2, 2, 2, 2));
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    return chart;
  }

  private static NumberAxis axis(double lower, double upper) {
    NumberAxis a = new NumberAxis(null);
    a.setRange(lower, upper);
    a.setTickLabelFont(font(6.5f));
    a.setTickLabelPaint(INK);
    a.setAxisLinePaint(Color.GRAY);
    a.setTickMarkPaint(Color.GRAY);
    return a;
  }

  /** One point of a risk trajectory. */
  record EditionPoint(int edition, double riskPercent, int rank) {}

  /**
   * Risk (left axis, shared maximum across panels) and rank (right axis, inverted) over editions,
   * with the top-N threshold as a dotted line on the rank axis.
   */
  static Chart trajectory(List<EditionPoint> points, double riskMax, int rankMax, int firstEdition,
      int lastEdition, int top) {
    XYSeries risk = new XYSeries("risk");
    XYSeries rank = new XYSeries("rank");
    for (EditionPoint p : points) {
      risk.add(p.edition(), p.riskPercent());
      rank.add(p.edition(), p.rank());
    }
    NumberAxis x = axis(firstEdition - 0.4, lastEdition + 0.4);
    x.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil((lastEdition - firstEdition) / 4.0)),
        new java.text.DecimalFormat("0")));
    NumberAxis left = axis(0, riskMax);
    NumberAxis right = axis(1, rankMax);
    right.setInverted(true);
    right.setTickLabelPaint(RANK);
    XYPlot plot = new XYPlot(new XYSeriesCollection(risk), x, left, line(RISK, false));
    plot.setRangeAxis(1, right);
    plot.setDataset(1, new XYSeriesCollection(rank));
    plot.mapDatasetToRangeAxis(1, 1);
    plot.setRenderer(1, line(RANK, true));
    ValueMarker threshold = new ValueMarker(top + 0.5, RANK,
        new BasicStroke(0.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {1.5f, 1.5f}, 0f));
    plot.addRangeMarker(1, threshold, Layer.BACKGROUND);
    return new Chart(bare(plot));
  }

  private static XYLineAndShapeRenderer line(Color color, boolean dashed) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, color);
    r.setSeriesStroke(0, dashed
        ? new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {3f, 2f}, 0f)
        : new BasicStroke(1.4f));
    r.setSeriesShape(0, new Ellipse2D.Double(-1.6, -1.6, 3.2, 3.2));
    return r;
  }

  /** Rank one year before each onset (x: onsets in time order); flagged above the dotted line. */
  static Chart catchPlot(List<double[]> yearAndRank, int rankMax, int top) {
    XYSeries flagged = new XYSeries("flagged", false);
    XYSeries missed = new XYSeries("missed", false);
    double minYear = Double.MAX_VALUE;
    double maxYear = -Double.MAX_VALUE;
    for (double[] p : yearAndRank) {
      (p[1] <= top ? flagged : missed).add(p[0], p[1]);
      minYear = Math.min(minYear, p[0]);
      maxYear = Math.max(maxYear, p[0]);
    }
    if (yearAndRank.isEmpty()) {
      minYear = 0;
      maxYear = 1;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(flagged);
    data.addSeries(missed);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, FLAGGED);
    dots.setSeriesPaint(1, MISSED);
    dots.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
    dots.setSeriesShape(1, new Ellipse2D.Double(-2, -2, 4, 4));
    NumberAxis x = axis(minYear - 1, maxYear + 1);
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    NumberAxis y = axis(1, rankMax);
    y.setInverted(true);
    XYPlot plot = new XYPlot(data, x, y, dots);
    plot.addRangeMarker(new ValueMarker(top + 0.5, Color.DARK_GRAY,
        new BasicStroke(0.7f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2f, 2f}, 0f)));
    return new Chart(bare(plot));
  }

  /** ROC or precision-recall curves, one line per model, on the unit square. */
  static Chart curves(Map<String, List<double[]>> byModel, boolean diagonal) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (Map.Entry<String, List<double[]>> e : byModel.entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), false);
      e.getValue().forEach(p -> s.add(p[0], p[1]));
      data.addSeries(s);
      lines.setSeriesPaint(i, SERIES[i % SERIES.length]);
      lines.setSeriesStroke(i, new BasicStroke(1.3f));
      i++;
    }
    double yMax = 1;
    if (!diagonal) {
      // Precision of rare-event warnings is low: a unit y-axis would flatten the curve.
      double top = byModel.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1);
      yMax = Math.min(1, Math.ceil(top * 1.15 * 20) / 20);
    }
    XYPlot plot = new XYPlot(data, axis(0, 1), axis(0, yMax), lines);
    if (diagonal) {
      XYSeries chance = new XYSeries("chance");
      chance.add(0, 0);
      chance.add(1, 1);
      XYLineAndShapeRenderer dotted = new XYLineAndShapeRenderer(true, false);
      dotted.setSeriesPaint(0, Color.GRAY);
      dotted.setSeriesStroke(0, new BasicStroke(0.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2f, 2f}, 0f));
      plot.setDataset(1, new XYSeriesCollection(chance));
      plot.setRenderer(1, dotted);
    }
    JFreeChart chart = bare(plot);
    if (byModel.size() > 1) {
      chart.addLegend(new org.jfree.chart.title.LegendTitle(plot));
      chart.getLegend().setItemFont(font(6.5f));
    }
    return new Chart(chart);
  }

  /** Onsets by years of warning (0 = missed). */
  static Chart leadTimes(Map<Integer, Integer> casesByLead) {
    XYSeries s = new XYSeries("cases");
    int maxCases = 1;
    int maxLead = 1;
    for (Map.Entry<Integer, Integer> e : casesByLead.entrySet()) {
      s.add(e.getKey(), e.getValue());
      maxCases = Math.max(maxCases, e.getValue());
      maxLead = Math.max(maxLead, e.getKey());
    }
    XYBarRenderer bars = new XYBarRenderer(0.25);
    bars.setBarPainter(new StandardXYBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, RISK);
    NumberAxis x = axis(-0.6, maxLead + 0.6);
    // one tick per year up to ten years; real back-tests reach leads of 30 years, where
    // yearly labels run into each other
    x.setTickUnit(new NumberTickUnit(maxLead <= 10 ? 1 : maxLead <= 20 ? 2 : 5, new java.text.DecimalFormat("0")));
    NumberAxis y = axis(0, maxCases * 1.1);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(new XYSeriesCollection(s), x, y, bars);
    return new Chart(bare(plot));
  }
}
