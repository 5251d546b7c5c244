package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.ewarn.model.ElasticNet;
import org.ewarn.model.RiskModel;
import org.ewarn.run.StageFailure;

/** The monthly back-test action: rolling-origin forecasts, metrics by lead, by target month and pooled. */
public final class MonthlyBacktest {
  private MonthlyBacktest() {}

  /** {@code warnings}: what a reader of the tables must know (e.g. forecasts that rank nothing). */
  public record Result(List<Table> tables, Map<String, Long> counts, Map<String, Double> seconds,
      List<String> warnings) {}

  public static Result run(Dataset<Row> panel, List<RiskModel> models, long seed, BacktestSettings s) {
    BacktestSettings.Monthly m = s.monthly();
    long t0 = System.nanoTime();
    List<String> predictors = m.predictors().isEmpty()
        ? knownWhenScored(panel, numericColumns(panel, m), MonthlyProtocol.monthIndex(m.firstOrigin()) - 1,
            MonthlyProtocol.monthIndex(m.lastOrigin()) - 1)
        : m.predictors();
    List<String> leaking = predictors.stream().filter(MonthlyOutcome::looksAhead).toList();
    if (!leaking.isEmpty()) {
      throw StageFailure.config("backtest.monthly.predictors: " + leaking + " look ahead (outcomes), never predictors");
    }
    MonthlyProtocol.History history = collect(withOutcome(panel, m), m, predictors);
    long t1 = System.nanoTime();
    int first = MonthlyProtocol.monthIndex(m.firstOrigin());
    int last = MonthlyProtocol.monthIndex(m.lastOrigin());
    List<MetricsTable.Row> metrics = new ArrayList<>();
    List<Timeliness.Case> cases = new ArrayList<>();
    List<Timeliness.LeadTime> leads = new ArrayList<>();
    Map<String, List<MetricsTable.Scored>> curves = new LinkedHashMap<>();
    Map<String, List<MetricsTable.Scored>> byMonthOf = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long forecastCount = 0;
    for (RiskModel model : models) {
      if (!(model instanceof ElasticNet net)) {
        throw StageFailure.config("the monthly protocol runs the in-memory models only (elastic_net); got "
            + model.id() + " (set backtest.monthly.models or --model elastic_net)");
      }
      List<MonthlyProtocol.MonthForecast> f = MonthlyProtocol.forecasts(model.id(), history, first, last,
          m.horizon(), m.refitEvery(), m.trainingMonths(),
          AnnualProtocol.elasticNet(net.settings().withSeed(seed).withLambdaMinRatio(m.lambdaMinRatio())));
      forecastCount += f.size();
      List<MetricsTable.Scored> byLead = MonthlyProtocol.scored(f, history, true);
      List<String> constant = MetricsTable.constantGroups(byLead);
      if (!constant.isEmpty()) {
        warnings.add(model.id() + ": the forecasts of " + constant + " give every country the same risk (cross-"
            + "validation kept the intercept alone: too few onsets in the training months); their recall at k is 1"
            + " by the tie rule and means nothing, read their AUC (0.5)");
      }
      byMonthOf.put(model.id(), MonthlyProtocol.scored(f, history, false));
      curves.put(model.id(), byLead);
      // timeliness on the one-month-ahead forecasts, keyed by the month they were made in
      List<Forecast> made = f.stream().filter(x -> x.horizon() == 1)
          .map(x -> new Forecast(x.model(), x.origin(), x.target() - 1, x.unit(), x.name(), x.risk(), x.rank()))
          .toList();
      List<Timeliness.Onset> onsets = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        int month = history.month()[i];
        if (history.outcome()[i] == 1 && month >= first && month <= last) {
          onsets.add(new Timeliness.Onset(history.unit()[i], history.name()[i], month));
        }
      }
      List<Timeliness.Case> c = Timeliness.cases(model.id(), made, onsets, Map.of(), s.flagging());
      cases.addAll(c);
      leads.addAll(Timeliness.leadTimes(model.id(), c));
    }
    // scored after every model ran: the skill reference may come later in the list
    List<Calibration.Bin> calibration = new ArrayList<>();
    List<MetricsTable.Scored> referenceByLead = curves.get(m.skillReference());
    List<MetricsTable.Scored> referenceByMonth = byMonthOf.get(m.skillReference());
    curves.forEach((id, byLead) -> {
      metrics.addAll(MetricsTable.table(id, "monthly", MetricsTable.OWN_SAMPLE, byLead, referenceByLead, s.metrics(), true));
      List<MetricsTable.Row> byMonth = MetricsTable.table(id, "monthly", MetricsTable.OWN_SAMPLE, byMonthOf.get(id),
          referenceByMonth, s.metrics(), true);
      metrics.addAll(byMonth.subList(1, byMonth.size()));
      calibration.addAll(Calibration.table(id, "monthly", MetricsTable.OWN_SAMPLE, byLead, s.calibrationEdges(), true));
    });
    long t2 = System.nanoTime();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("panel_rows", (long) history.size());
    counts.put("forecasts", forecastCount);
    counts.put("cases", (long) cases.size());
    counts.put("metric_rows", (long) metrics.size());
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("collect", (t1 - t0) / 1e9);
    seconds.put("fits_and_metrics", (t2 - t1) / 1e9);
    // Marts of their own (backtest_monthly_*): the annual ones feed the report's appendices, and
    // a nightly run publishes both protocols under one run label.
    List<Table> tables = java.util.stream.Stream.of(Table.metrics(metrics, s.metrics()),
            Table.cases(cases, "onset_month", MonthlyProtocol::monthLabel), Table.leadTimes(leads),
            Table.curves(curves), Table.calibration(calibration))
        .map(t -> new Table(t.dataset().replace("backtest_", "backtest_monthly_"), t.csvName(), t.schema(), t.rows()))
        .toList();
    return new Result(tables, counts, seconds, warnings);
  }

  /**
   * The panel with the month onset of {@link MonthlyOutcome}, horizon read from the panel's own
   * {@code outcome_horizon_months} (so it always matches how the window column was built).
   */
  static Dataset<Row> withOutcome(Dataset<Row> panel, BacktestSettings.Monthly m) {
    List<String> have = List.of(panel.columns());
    for (String c : List.of(m.outcomeWindow(), "outcome_horizon_months", "month_index", m.unitColumn())) {
      if (!have.contains(c)) {
        throw StageFailure.config("dataset '" + m.dataset() + "' has no column '" + c
            + "'; check backtest.monthly.outcome-window / unit-column (see jobs/MARTS.md, panel_country_month)");
      }
    }
    List<Row> horizons = panel.select("outcome_horizon_months").distinct().collectAsList();
    if (horizons.size() != 1 || horizons.get(0).isNullAt(0)) {
      throw StageFailure.config("dataset '" + m.dataset() + "': expected one outcome_horizon_months, got " + horizons);
    }
    return MonthlyOutcome.withOnset(panel, m.unitColumn(), m.outcomeWindow(),
        ((Number) horizons.get(0).get(0)).intValue());
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
    Set<String> keys = new java.util.HashSet<>(List.of("year", "month", "month_index", "ccode", "cow_code",
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

  static MonthlyProtocol.History collect(Dataset<Row> panel, BacktestSettings.Monthly m, List<String> predictors) {
    List<Column> cols = new ArrayList<>(List.of(
        functions.col(m.unitColumn()).cast("int").as("_unit"), functions.col(m.nameColumn()).cast("string").as("_name"),
        functions.col("year").cast("int").multiply(12).plus(functions.col("month").cast("int")).minus(1).as("_month"),
        functions.col(MonthlyOutcome.ONSET).cast("double").as("_outcome")));
    for (int j = 0; j < predictors.size(); j++) {
      cols.add(functions.col(predictors.get(j)).cast("double").as("_x" + j));
    }
    List<Row> rows = panel.select(cols.toArray(Column[]::new)).na().drop(new String[] {"_unit", "_month"})
        .orderBy("_unit", "_month").collectAsList();
    int n = rows.size();
    int[] unit = new int[n];
    String[] name = new String[n];
    int[] month = new int[n];
    double[] y = new double[n];
    double[][] x = new double[n][predictors.size()];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      unit[i] = r.getInt(0);
      name[i] = r.isNullAt(1) ? null : r.getString(1);
      month[i] = r.getInt(2);
      y[i] = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
      for (int j = 0; j < predictors.size(); j++) {
        x[i][j] = r.isNullAt(4 + j) ? Double.NaN : r.getDouble(4 + j);
      }
    }
    return new MonthlyProtocol.History(unit, name, month, x, y);
  }
}
