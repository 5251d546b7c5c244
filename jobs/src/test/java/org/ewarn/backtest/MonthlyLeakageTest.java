package org.ewarn.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;

/**
 * No forecast of the monthly back-test reads anything after the month it is made in. On the real
 * global series (every country, 1989-01 … 2021-06), one refit at origin 2010-01: every value of
 * every month from 2010-01 on (deaths, windows, onsets) is replaced by noise, and every model's
 * forecasts made in 2009-12 come out identical. The same noise in 2009-12 itself changes them, so
 * the comparison can fail.
 */
class MonthlyLeakageTest extends SparkTest {
  static final int ORIGIN = MonthlyProtocol.monthIndex("2010-01");

  private static BacktestSettings settings(String... sets) {
    return BacktestSettings.from(Settings.load(HOME, null, List.of(sets)));
  }

  private static BacktestSettings oneRefit() {
    return settings("backtest.monthly.first-origin=\"2010-01\"", "backtest.monthly.last-origin=\"2010-01\"",
        "backtest.monthly.horizon=3", "backtest.monthly.bootstrap-replicates=0");
  }

  /** Every numeric value (onset included) of the months in [from, to] replaced by noise. */
  static Dataset<Row> perturbed(Dataset<Row> panel, int from, int to) {
    Column after = col("month_index").between(from, to);
    List<Column> cols = new ArrayList<>();
    for (StructField f : panel.schema().fields()) {
      String c = f.name();
      boolean key = List.of("gw_code", "month_index", "year", "month").contains(c);
      if (key || !(f.dataType() instanceof NumericType)) {
        cols.add(col(c));
      } else if (c.equals("os_escalation_onset")) {
        cols.add(when(after, when(rand(7).lt(0.5), lit(1)).otherwise(lit(0))).otherwise(col(c)).cast(f.dataType()).as(c));
      } else {
        cols.add(when(after, rand(11).multiply(5000).cast("int")).otherwise(col(c)).cast(f.dataType()).as(c));
      }
    }
    return panel.select(cols.toArray(Column[]::new));
  }

  private static List<String> forecasts(Dataset<Row> panel) {
    BacktestSettings s = oneRefit();
    // every model of the protocol, the forest too (available by name, not in the default models)
    return MonthlyBacktest.run(panel, MonthlyModels.IDS, ElasticNetSettings.ewp(1), 1, s).forecasts().stream()
        .map(f -> f.model() + " " + f.unit() + " " + f.target() + " " + f.horizon() + " " + f.risk() + " " + f.rank())
        .sorted().toList();
  }

  @Test
  void forecastsIgnoreEveryValueAfterTheirMonth() {
    Dataset<Row> panel = MonthlyPanelFixture.panel(spark(), HOME);
    List<String> clean = forecasts(panel);
    // four models x ~190 countries x 3 leads
    assertThat(clean).hasSizeGreaterThan(4 * 150 * 3);
    assertThat(clean.stream().map(x -> x.split(" ")[0]).distinct())
        .containsExactlyInAnyOrder("elastic_net", "random_forest", "baseline_persistence", "baseline_history");
    Dataset<Row> noisyFuture = perturbed(panel, ORIGIN, Integer.MAX_VALUE);
    assertThat(noisyFuture.where(col("month_index").geq(ORIGIN)).except(panel.where(col("month_index").geq(ORIGIN)))
        .count()).as("the perturbation changes the months after t").isPositive();
    assertThat(forecasts(noisyFuture)).isEqualTo(clean);
    // control: the month the forecasts are made in does matter
    assertThat(forecasts(perturbed(panel, ORIGIN - 1, ORIGIN - 1))).isNotEqualTo(clean);
  }

  @Test
  void noOutcomeColumnIsEverAPredictor() {
    BacktestSettings.Monthly m = settings().monthly();
    Dataset<Row> panel = MonthlyPanelFixture.panel(spark(), HOME)
        .withColumn("ewp_mk_onset_month", lit(0)).withColumn("pitf_gp_onset_month", lit(0))
        .withColumn("mk_onset_any_next", lit(0)).withColumn("ged_os_deaths_next_3m", lit(0.0))
        .withColumn("mk_onset_any_within_24m", lit(0)).withColumn("outcome_horizon_months", lit(12));
    List<String> all = MonthlyBacktest.numericColumns(panel, m);
    assertThat(all).contains("ged_os_deaths", "ged_os_deaths_3m", "coup_attempts_12m")
        .doesNotContain("os_escalation_onset", "ewp_mk_onset_month", "pitf_gp_onset_month", "mk_onset_any_next",
            "ged_os_deaths_next_3m", "mk_onset_any_within_24m", "outcome_horizon_months", "month_index", "gw_code");
    // naming one as a predictor is a configuration error, and so is an onset that is not an outcome
    assertThatThrownBy(() -> settings("backtest.monthly.predictors=[ged_os_deaths, os_escalation_onset]"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("os_escalation_onset");
    assertThatThrownBy(() -> settings("backtest.monthly.onset=ged_os_deaths"))
        .isInstanceOf(StageFailure.class).hasMessageContaining("backtest.monthly.onset");
  }
}
