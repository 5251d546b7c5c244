package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.model.ElasticNetSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class MonthlyRealDataTest extends SparkTest {
  private static BacktestSettings settings(String... sets) {
    return BacktestSettings.from(Settings.load(HOME, null, List.of(sets)));
  }

  @Test
  @Tag("slow")
  void defaultProtocolOnTheGlobalSeries() {
    Dataset<Row> panel = MonthlyPanelFixture.panel(spark(), HOME);
    BacktestSettings s = settings();
    long t0 = System.nanoTime();
    MonthlyBacktest.Result r = MonthlyBacktest.run(panel, s.monthly().models(), ElasticNetSettings.ewp(1), 1, s);
    System.err.println("TOTAL " + (System.nanoTime() - t0) / 1e9 + " " + r.seconds() + " " + r.counts());
    Table metrics = r.tables().get(0);
    for (Row row : metrics.rows()) {
      String scope = row.getString(2);
      if (scope.equals("pooled") || scope.startsWith("lead_")) {
        System.err.println(row.getString(0) + " " + scope + " auc=" + row.get(4) + " aupr=" + row.get(5)
            + " brier=" + row.get(6) + " skill=" + row.get(metrics.schema().fieldIndex("brier_skill")) + " onsets=" + row.get(row.size() - 2));
      }
    }
    assertThat(r.counts().get("onsets")).isGreaterThanOrEqualTo(100);
  }
}
