package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One result table: the mart it is published as, its CSV name, schema and rows. */
public record Table(String dataset, String csvName, StructType schema, List<Row> rows) {

  public static Table warnings(List<Warning> warnings) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("year", DataTypes.IntegerType, false)
        .add("country", DataTypes.StringType)
        .add("ccode", DataTypes.IntegerType, false)
        .add("mk_onset", DataTypes.IntegerType, false)
        .add("risk_prev", DataTypes.DoubleType)
        .add("rank_prev", DataTypes.IntegerType)
        .add("risk_two_years_prior", DataTypes.DoubleType)
        .add("rank_two_years_prior", DataTypes.IntegerType)
        .add("maxrisk2", DataTypes.DoubleType)
        .add("minrank2", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (Warning w : warnings) {
      rows.add(RowFactory.create(w.model(), w.year(), w.country(), w.ccode(), w.mkOnset(), w.riskPrev(),
          w.rankPrev(), w.riskTwoYearsPrior(), w.rankTwoYearsPrior(), w.maxrisk2(), w.minrank2()));
    }
    return new Table("backtest_warnings", "warnings.csv", schema, rows);
  }

  public static Table metrics(List<MetricsTable.Row> metrics, MetricsTable.Settings s) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("protocol", DataTypes.StringType, false)
        .add("scope", DataTypes.StringType, false)
        .add("sample", DataTypes.StringType, false);
    List<String> columns = MetricsTable.columns(s);
    for (String c : columns) {
      schema = schema.add(c, DataTypes.DoubleType);
    }
    schema = schema.add("onsets", DataTypes.LongType, false).add("rows", DataTypes.LongType, false);
    List<Row> rows = new ArrayList<>();
    for (MetricsTable.Row m : metrics) {
      Object[] v = new Object[columns.size() + 6];
      v[0] = m.model();
      v[1] = m.protocol();
      v[2] = m.scope();
      v[3] = m.sample();
      for (int i = 0; i < columns.size(); i++) {
        Double d = m.values().get(columns.get(i));
        v[4 + i] = d == null || d.isNaN() ? null : d;
      }
      v[columns.size() + 4] = m.onsets();
      v[columns.size() + 5] = m.rows();
      rows.add(RowFactory.create(v));
    }
    return new Table("backtest_metrics", "metrics.csv", schema, rows);
  }

  /** Case table; {@code periodColumn} is onset_year (annual, external) or onset_month. */
  public static Table cases(List<Timeliness.Case> cases, String periodColumn, java.util.function.IntFunction<Object> period) {
    DataType periodType = periodColumn.equals("onset_year") ? DataTypes.IntegerType : DataTypes.StringType;
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("country", DataTypes.StringType)
        .add("ccode", DataTypes.IntegerType, false)
        .add(periodColumn, periodType, false)
        .add("episode_name", DataTypes.StringType)
        .add("rank_1_before", DataTypes.IntegerType)
        .add("rank_2_before", DataTypes.IntegerType)
        .add("risk_1_before", DataTypes.DoubleType)
        .add("risk_2_before", DataTypes.DoubleType)
        .add("flagged_1_before", DataTypes.BooleanType, false)
        .add("flagged_2_before", DataTypes.BooleanType, false)
        .add("lead_time", DataTypes.IntegerType, false)
        .add("first_crossing", periodType)
        .add("chronic", DataTypes.BooleanType, false)
        .add("missed", DataTypes.BooleanType, false);
    List<Row> rows = new ArrayList<>();
    for (Timeliness.Case c : cases) {
      rows.add(RowFactory.create(c.model(), c.country(), c.ccode(), period.apply(c.onsetPeriod()), c.episodeName(),
          c.rank1Before(), c.rank2Before(), c.risk1Before(), c.risk2Before(), c.flagged1Before(),
          c.flagged2Before(), c.leadTime(), c.firstCrossing() == null ? null : period.apply(c.firstCrossing()),
          c.chronic(), c.missed()));
    }
    return new Table("backtest_cases", "cases.csv", schema, rows);
  }

  public static Table leadTimes(List<Timeliness.LeadTime> leads) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("lead_time", DataTypes.IntegerType, false)
        .add("cases", DataTypes.LongType, false);
    List<Row> rows = new ArrayList<>();
    for (Timeliness.LeadTime l : leads) {
      rows.add(RowFactory.create(l.model(), l.leadTime(), l.cases()));
    }
    return new Table("backtest_lead_times", "lead_times.csv", schema, rows);
  }

  /** ROC and PR curve points per model, for the report's charts. */
  public static Table curves(Map<String, List<MetricsTable.Scored>> byModel) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("curve", DataTypes.StringType, false)
        .add("x", DataTypes.DoubleType, false)
        .add("y", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    byModel.forEach((model, scored) -> {
      List<MetricsTable.Scored> withRisk = scored.stream().filter(r -> !Double.isNaN(r.risk())).toList();
      double[] risk = withRisk.stream().mapToDouble(MetricsTable.Scored::risk).toArray();
      int[] outcome = withRisk.stream().mapToInt(MetricsTable.Scored::outcome).toArray();
      for (Metrics.Point p : Metrics.roc(risk, outcome)) {
        rows.add(RowFactory.create(model, "roc", p.x(), p.y()));
      }
      for (Metrics.Point p : Metrics.precisionRecall(risk, outcome)) {
        rows.add(RowFactory.create(model, "pr", p.x(), p.y()));
      }
    });
    return new Table("backtest_curves", "curves.csv", schema, rows);
  }

  /** The reliability table: predicted-risk bins against observed onset rates, with counts. */
  public static Table calibration(List<Calibration.Bin> bins) {
    StructType schema = new StructType()
        .add("model", DataTypes.StringType, false)
        .add("protocol", DataTypes.StringType, false)
        .add("scope", DataTypes.StringType, false)
        .add("sample", DataTypes.StringType, false)
        .add("bin", DataTypes.IntegerType, false)
        .add("risk_low", DataTypes.DoubleType, false)
        .add("risk_high", DataTypes.DoubleType, false)
        .add("forecasts", DataTypes.LongType, false)
        .add("mean_risk", DataTypes.DoubleType)
        .add("onsets", DataTypes.LongType, false)
        .add("observed_rate", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (Calibration.Bin b : bins) {
      rows.add(RowFactory.create(b.model(), b.protocol(), b.scope(), b.sample(), b.bin(), b.low(), b.high(),
          b.forecasts(), b.forecasts() == 0 ? null : b.meanRisk(), b.onsets(),
          b.forecasts() == 0 ? null : (double) b.onsets() / b.forecasts()));
    }
    return new Table("backtest_calibration", "calibration.csv", schema, rows);
  }

  public static Table concat(List<Table> parts) {
    List<Row> rows = new ArrayList<>();
    parts.forEach(t -> rows.addAll(t.rows()));
    Table first = parts.get(0);
    return new Table(first.dataset(), first.csvName(), first.schema(), rows);
  }
}
