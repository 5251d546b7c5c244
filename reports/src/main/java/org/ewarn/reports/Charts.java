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
    ClasspathOnly.ensure();
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

  static Color series(int i) {
    return SERIES[i % SERIES.length];
  }

  /**
   * ROC or precision-recall curves, one line per source in {@link #series} colours, on the unit
   * square. No legend in the chart: the template prints the sources' names beside it, translated.
   */
  static Chart curves(List<List<double[]>> bySource, boolean diagonal) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    int i = 0;
    for (List<double[]> points : bySource) {
      XYSeries s = new XYSeries("s" + i, false);
      points.forEach(p -> s.add(p[0], p[1]));
      data.addSeries(s);
      lines.setSeriesPaint(i, series(i));
      lines.setSeriesStroke(i, new BasicStroke(1.3f));
      i++;
    }
    double yMax = 1;
    if (!diagonal) {
      // Precision of rare-event warnings is low: a unit y-axis would flatten the curve.
      double top = bySource.stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1);
      yMax = Math.min(1, Math.max(0.05, Math.ceil(top * 1.15 * 20) / 20));
    }
    XYPlot plot = new XYPlot(data, axis(0, 1), axis(0, yMax), lines);
    if (diagonal) {
      plot.setDataset(1, new XYSeriesCollection(diagonal(1)));
      plot.setRenderer(1, dotted());
    }
    return new Chart(bare(plot));
  }

  private static XYSeries diagonal(double to) {
    XYSeries chance = new XYSeries("diagonal");
    chance.add(0, 0);
    chance.add(to, to);
    return chance;
  }

  private static XYLineAndShapeRenderer dotted() {
    XYLineAndShapeRenderer dotted = new XYLineAndShapeRenderer(true, false);
    dotted.setSeriesPaint(0, Color.GRAY);
    dotted.setSeriesStroke(0, new BasicStroke(0.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2f, 2f}, 0f));
    return dotted;
  }

  /**
   * A reliability diagram: mean predicted risk (x) against observed onset rate (y) per risk bin,
   * on [0, scale]², the diagonal as perfect calibration; each point labelled with its count of
   * forecasts. Points are {mean risk, observed rate, forecasts}.
   */
  static Chart reliability(List<double[]> points, double scale) {
    XYSeries s = new XYSeries("bins", false);
    for (double[] p : points) {
      s.add(p[0], p[1]);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, RISK);
    r.setSeriesStroke(0, new BasicStroke(1f));
    r.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
    r.setDefaultItemLabelGenerator((dataset, series, item) -> {
      double n = points.get(item)[2];
      return n >= 1000 ? String.format(Locale.ROOT, "%.1fk", n / 1000) : String.valueOf((long) n);
    });
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(font(5.5f));
    r.setDefaultItemLabelPaint(Color.DARK_GRAY);
    NumberAxis x = axis(0, scale);
    NumberAxis y = axis(0, scale);
    // Points above the scale (a bin of a few forecasts with onsets) are clipped, not rescaled.
    XYPlot plot = new XYPlot(new XYSeriesCollection(s), x, y, r);
    plot.setDataset(1, new XYSeriesCollection(diagonal(scale)));
    plot.setRenderer(1, dotted());
    return new Chart(bare(plot));
  }

  /**
   * A country's interval as a bar on the ranking's shared 0..max scale (percent): a light track,
   * the interval as a band, the point estimate as a tick.
   */
  static Graphics2DRenderable rangeBar(double lower, double risk, double upper, double max) {
    return new RangeBar(lower, risk, upper, max);
  }

  private static final class RangeBar extends AbstractRenderer implements Graphics2DRenderable {
    private static final long serialVersionUID = 1L;
    private final double lower;
    private final double risk;
    private final double upper;
    private final double max;

    RangeBar(double lower, double risk, double upper, double max) {
      this.lower = lower;
      this.risk = risk;
      this.upper = upper;
      this.max = max;
    }

    @Override
    public void render(JasperReportsContext context, Graphics2D g, Rectangle2D area) {
      double w = area.getWidth() - 4;
      double x0 = area.getX() + 2;
      double mid = area.getY() + area.getHeight() / 2;
      g.setColor(GRID);
      g.fill(new Rectangle2D.Double(x0, mid - 0.4, w, 0.8));
      g.setColor(new Color(0x9DB9D0));
      double a = x0 + w * Math.max(0, lower) / max;
      double b = x0 + w * Math.min(max, upper) / max;
      g.fill(new Rectangle2D.Double(a, mid - 2.2, Math.max(0.8, b - a), 4.4));
      g.setColor(RISK);
      double c = x0 + w * Math.min(max, Math.max(0, risk)) / max;
      g.fill(new Rectangle2D.Double(c - 0.7, mid - 3.2, 1.4, 6.4));
    }
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
