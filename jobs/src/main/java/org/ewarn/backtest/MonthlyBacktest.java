package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.run.StageFailure;

/**
 * The monthly back-test action: rolling-origin forecasts at leads 1 … H, metrics by lead, by
 * target month and pooled, reliability tables and the timeliness of every onset.
 */
public final class MonthlyBacktest {
  private MonthlyBacktest() {}

  /** {@code warnings}: what a reader of the tables must know (e.g. forecasts that rank nothing). */
  public record Result(List<Table> tables, Map<String, Long> counts, Map<String, Double> seconds,
      List<String> warnings, List<MonthlyProtocol.MonthForecast> forecasts) {}

  /** Most points of a ROC or PR curve kept in the curves mart (a month panel has ~10^5 distinct risks). */
  static final int CURVE_POINTS = 400;

  /**
   * Runs {@code models} (ids of {@link MonthlyModels}) on the panel. {@code net}: the elastic net's
   * specification (models.elastic-net), seeded with {@code seed}; λ floor and folds are the protocol's.
   */
  public static Result run(Dataset<Row> panel, List<String> models, ElasticNetSettings net, long seed,
      BacktestSettings s) {
    long t0 = System.nanoTime();
    BacktestSettings.Monthly m = s.monthly();
    List<String> predictors = predictors(panel, m);
    MonthlyProtocol.History history = collect(panel, m, predictors);
    double collect = (System.nanoTime() - t0) / 1e9;
    Result r = evaluate(history, models, net, seed, s, panel::sparkSession);
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("collect", collect);
    seconds.putAll(r.seconds());
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("predictors", (long) predictors.size());
    counts.putAll(r.counts());
    return new Result(r.tables(), counts, seconds, r.warnings(), r.forecasts());
  }

  /** The predictors: the configured list, or every numeric non-key, non-outcome column; checked. */
  static List<String> predictors(Dataset<Row> panel, BacktestSettings.Monthly m) {
    List<String> have = List.of(panel.columns());
    List<String> need = new ArrayList<>(List.of(m.onset(), "month_index", m.unitColumn(), m.nameColumn(),
        m.persistenceColumn()));
    need.addAll(m.predictors());
    List<String> missing = need.stream().filter(c -> !have.contains(c)).distinct().toList();
    if (!missing.isEmpty()) {
      throw StageFailure.config("dataset '" + m.dataset() + "' has no column(s) " + missing
          + "; check backtest.monthly.onset / predictors / unit-column / name-column / persistence-column"
          + " (see jobs/MARTS.md, panel_country_month)");
    }
    List<String> chosen = m.predictors().isEmpty()
        ? knownWhenScored(panel, numericColumns(panel, m), MonthlyProtocol.monthIndex(m.firstOrigin()) - 1,
            MonthlyProtocol.monthIndex(m.lastOrigin()) - 1)
        : m.predictors();
    List<String> leaking = chosen.stream().filter(MonthlyOutcome::looksAhead).toList();
    if (!leaking.isEmpty()) {
      throw StageFailure.config("backtest.monthly.predictors: " + leaking + " look ahead (outcomes), never predictors");
    }
    if (chosen.isEmpty()) {
      throw StageFailure.config("backtest.monthly.predictors: no usable predictor column in '" + m.dataset() + "'");
    }
    return chosen;
  }

  /** The protocol on a collected history (the panel's rows as arrays). */
  public static Result evaluate(MonthlyProtocol.History history, List<String> models, ElasticNetSettings net,
      long seed, BacktestSettings s, Supplier<SparkSession> spark) {
    BacktestSettings.Monthly m = s.monthly();
    int first = MonthlyProtocol.monthIndex(m.firstOrigin());
    int last = MonthlyProtocol.monthIndex(m.lastOrigin());
    ElasticNetSettings protocolNet = new ElasticNetSettings(net.alpha(), m.folds(), m.lambdaCount(),
        m.lambdaMinRatio(), net.threshold(), net.maxIterations(), seed);
    MetricsTable.Settings byLeadMetrics = withReplicates(s.metrics(), m.bootstrapReplicates());
    // the per-month scopes are many and small: point estimates only
    MetricsTable.Settings byMonthMetrics = withReplicates(s.metrics(), 0);
    List<Timeliness.Case> cases = new ArrayList<>();
    List<Timeliness.LeadTime> leads = new ArrayList<>();
    Map<String, List<MetricsTable.Scored>> curves = new LinkedHashMap<>();
    Map<String, List<MetricsTable.Scored>> byMonthOf = new LinkedHashMap<>();
    List<MonthlyProtocol.MonthForecast> all = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<Timeliness.Onset> onsets = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      int month = history.month()[i];
      if (history.outcome()[i] == 1 && month >= first && month <= last) {
        onsets.add(new Timeliness.Onset(history.unit()[i], history.name()[i], month));
      }
    }
    for (String id : models) {
      long f0 = System.nanoTime();
      MonthlyProtocol.Learner learner = MonthlyModels.learner(id, protocolNet, m.forest(), m.negativeRate(), seed, spark);
      List<MonthlyProtocol.MonthForecast> f = MonthlyProtocol.forecasts(id, history, first, last, m.horizon(),
          m.refitEvery(), m.trainingMonths(), learner, p -> System.err.println(progressLine(id, p, f0)));
      all.addAll(f);
      seconds.put("fit." + id, (System.nanoTime() - f0) / 1e9);
      List<MetricsTable.Scored> byLead = MonthlyProtocol.scored(f, history, true);
      List<String> constant = MetricsTable.constantGroups(byLead);
      if (!constant.isEmpty() && !id.startsWith("baseline_")) {
        warnings.add(id + ": the forecasts of " + constant + " give every country the same risk (too few onsets in"
            + " the training months); their recall at k is 1 by the tie rule and means nothing, read their AUC (0.5)");
      }
      byMonthOf.put(id, MonthlyProtocol.scored(f, history, false));
      curves.put(id, byLead);
      // timeliness on the one-month-ahead forecasts, keyed by the month they were made in
      List<Forecast> made = f.stream().filter(x -> x.horizon() == 1)
          .map(x -> new Forecast(x.model(), x.origin(), x.target() - 1, x.unit(), x.name(), x.risk(), x.rank()))
          .toList();
      List<Timeliness.Case> c = Timeliness.cases(id, made, onsets, Map.of(), m.flagging());
      cases.addAll(c);
      leads.addAll(Timeliness.leadTimes(id, c));
    }
    long q0 = System.nanoTime();
    // scored after every model ran: the skill reference may come later in the list
    List<MetricsTable.Row> metrics = new ArrayList<>();
    List<Calibration.Bin> calibration = new ArrayList<>();
    List<MetricsTable.Scored> referenceByLead = curves.get(m.skillReference());
    List<MetricsTable.Scored> referenceByMonth = byMonthOf.get(m.skillReference());
    if (referenceByLead == null) {
      warnings.add("brier_skill is empty: its reference " + m.skillReference() + " (backtest.monthly.skill-reference)"
          + " is not among the back-tested models " + models);
    }
    curves.forEach((id, byLead) -> {
      metrics.addAll(MetricsTable.table(id, "monthly", MetricsTable.OWN_SAMPLE, byLead, referenceByLead,
          byLeadMetrics, true));
      List<MetricsTable.Row> byMonth = MetricsTable.table(id, "monthly", MetricsTable.OWN_SAMPLE, byMonthOf.get(id),
          referenceByMonth, byMonthMetrics, true);
      metrics.addAll(byMonth.subList(1, byMonth.size()));
      calibration.addAll(Calibration.table(id, "monthly", MetricsTable.OWN_SAMPLE, byLead, s.calibrationEdges(), true));
    });
    seconds.put("metrics", (System.nanoTime() - q0) / 1e9);
    Set<Long> scoredOnsets = new HashSet<>();
    curves.values().forEach(rows -> rows.stream().filter(x -> x.outcome() == 1)
        .forEach(x -> scoredOnsets.add(MonthlyProtocol.key(x.period(), x.unit()))));
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("panel_rows", (long) history.size());
    counts.put("refits", (long) MonthlyProtocol.refitOrigins(first, last, m.refitEvery()).size());
    counts.put("forecasts", (long) all.size());
    counts.put("onsets", (long) scoredOnsets.size());
    counts.put("cases", (long) cases.size());
    counts.put("metric_rows", (long) metrics.size());
    // Marts of their own (backtest_monthly_*): the annual ones feed the report's appendices, and
    // a nightly run publishes both protocols under one run label.
    List<Table> tables = Stream.of(Table.metrics(metrics, s.metrics()), cases(cases), Table.leadTimes(leads),
            thinned(Table.curves(curves), CURVE_POINTS), Table.calibration(calibration))
        .map(t -> new Table(t.dataset().replace("backtest_", "backtest_monthly_"), t.csvName(), t.schema(), t.rows()))
        .toList();
    return new Result(tables, counts, seconds, warnings, all);
  }

  static String progressLine(String id, MonthlyProtocol.Progress p, long startedNanos) {
    double elapsed = (System.nanoTime() - startedNanos) / 1e9;
    double eta = elapsed / p.refit() * (p.refits() - p.refit());
    return String.format(java.util.Locale.ROOT,
        "ewarn backtest: monthly %s refit %d/%d (origin %s, %,d training pairs) %.1f s; %s done in ~%.0f s",
        id, p.refit(), p.refits(), MonthlyProtocol.monthLabel(p.origin()), p.pairs(), p.seconds(), id, eta);
  }

  private static MetricsTable.Settings withReplicates(MetricsTable.Settings s, int replicates) {
    return new MetricsTable.Settings(s.ks(), s.precisionK(), s.thresholds(), replicates, s.seed(),
        s.intervalRecallK(), s.confidence());
  }

  /**
   * The case table in the shared shape plus the month-level reading of it: {@code first_flagged_month}
   * (first month of the run of flags that reaches the onset) and {@code warning_months} (how many
   * months that run lasted; 0 = not flagged the month before).
   */
  static Table cases(List<Timeliness.Case> cases) {
    Table t = Table.cases(cases, "onset_month", MonthlyProtocol::monthLabel);
    StructType schema = t.schema().add("first_flagged_month", DataTypes.StringType)
        .add("warning_months", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>(t.rows().size());
    for (int i = 0; i < cases.size(); i++) {
      Timeliness.Case c = cases.get(i);
      Row r = t.rows().get(i);
      Object[] v = new Object[r.size() + 2];
      for (int j = 0; j < r.size(); j++) {
        v[j] = r.get(j);
      }
      v[r.size()] = c.firstCrossing() == null ? null : MonthlyProtocol.monthLabel(c.firstCrossing());
      v[r.size() + 1] = c.leadTime();
      rows.add(RowFactory.create(v));
    }
    return new Table(t.dataset(), t.csvName(), schema, rows);
  }

  /** At most about {@code points} points per (model, curve), evenly spaced, ends kept. */
  static Table thinned(Table curves, int points) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : curves.rows()) {
      groups.computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1), k -> new ArrayList<>()).add(r);
    }
    List<Row> out = new ArrayList<>();
    groups.values().forEach(g -> {
      int step = Math.max(1, (g.size() + points - 1) / points);
      for (int i = 0; i < g.size(); i++) {
        if (i % step == 0 || i == g.size() - 1) {
          out.add(g.get(i));
        }
      }
    });
    return new Table(curves.dataset(), curves.csvName(), curves.schema(), out);
  }

  /**
   * The candidates with a value in every row of the months forecasts are made from (first … last):
   * a column outside its source's coverage there (e.g. ACLED columns without ACLED data) would
   * otherwise drop every country from the complete-case forecasts. Dropped columns are logged.
   */
  static List<String> knownWhenScored(Dataset<Row> panel, List<String> candidates, int first, int last) {
    if (candidates.isEmpty()) {
      return candidates;
    }
    Column[] nulls = candidates.stream()
        .map(c -> functions.sum(functions.when(functions.col(c).isNull(), 1).otherwise(0)).as(c))
        .toArray(Column[]::new);
    Row counts = panel.where(functions.col("month_index").between(first, last))
        .agg(nulls[0], java.util.Arrays.copyOfRange(nulls, 1, nulls.length)).first();
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (int j = 0; j < candidates.size(); j++) {
      (counts.isNullAt(j) || counts.getLong(j) == 0 ? kept : dropped).add(candidates.get(j));
    }
    if (!dropped.isEmpty()) {
      System.err.println("ewarn backtest: monthly predictors with missing values in the forecast months, left out: "
          + dropped);
    }
    return kept;
  }

  /** Default predictors: numeric columns that are neither keys nor look-ahead outcomes. */
  static List<String> numericColumns(Dataset<Row> panel, BacktestSettings.Monthly m) {
    Set<String> keys = new HashSet<>(List.of("year", "month", "month_index", "ccode", "cow_code",
        "gw_code", "iso3", "iso3n", "source_line"));
    keys.add(m.unitColumn());
    keys.add(m.nameColumn());
    List<String> out = new ArrayList<>();
    for (StructField f : panel.schema().fields()) {
      if (f.dataType() instanceof NumericType && !keys.contains(f.name()) && !MonthlyOutcome.looksAhead(f.name())) {
        out.add(f.name());
      }
    }
    return out;
  }

  /**
   * The panel's rows as arrays, sorted by unit and month; predictors through the configured
   * transform (signed-log1p: sign(x)·log(1 + |x|), so death counts in the hundreds of thousands
   * and zero months sit on one scale for the linear model; monotone, so trees are unaffected).
   */
  static MonthlyProtocol.History collect(Dataset<Row> panel, BacktestSettings.Monthly m, List<String> predictors) {
    List<Column> cols = new ArrayList<>(List.of(
        functions.col(m.unitColumn()).cast("int").as("_unit"), functions.col(m.nameColumn()).cast("string").as("_name"),
        functions.col("month_index").cast("int").as("_month"),
        functions.col(m.onset()).cast("double").as("_outcome"),
        functions.col(m.persistenceColumn()).cast("double").as("_persist")));
    for (int j = 0; j < predictors.size(); j++) {
      cols.add(functions.col(predictors.get(j)).cast("double").as("_x" + j));
    }
    List<Row> rows = panel.select(cols.toArray(Column[]::new)).na().drop(new String[] {"_unit", "_month"})
        .orderBy("_unit", "_month").collectAsList();
    boolean log = m.transform().equals("signed-log1p");
    int n = rows.size();
    int[] unit = new int[n];
    String[] name = new String[n];
    int[] month = new int[n];
    double[] y = new double[n];
    double[] persist = new double[n];
    double[][] x = new double[n][predictors.size()];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      unit[i] = r.getInt(0);
      name[i] = r.isNullAt(1) ? null : r.getString(1);
      month[i] = r.getInt(2);
      y[i] = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
      persist[i] = r.isNullAt(4) ? Double.NaN : r.getDouble(4);
      for (int j = 0; j < predictors.size(); j++) {
        double v = r.isNullAt(5 + j) ? Double.NaN : r.getDouble(5 + j);
        x[i][j] = log ? Math.signum(v) * Math.log1p(Math.abs(v)) : v;
      }
    }
    return new MonthlyProtocol.History(unit, name, month, x, y,
        MonthlyProtocol.anyWithin(unit, month, persist, m.persistenceMonths()), MonthlyProtocol.onsetBefore(unit, y));
  }
}
