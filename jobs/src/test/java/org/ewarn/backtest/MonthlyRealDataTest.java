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
    List<String> sets = new java.util.ArrayList<>();
    for (String key : List.of("models", "first-origin", "last-origin", "negative-rate", "folds")) {
      String v = System.getProperty("monthly." + key);
      if (v != null) {
        sets.add("backtest.monthly." + key + "=" + v);
      }
    }
    BacktestSettings s = settings(sets.toArray(String[]::new));
    panel.count();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    MonthlyBacktest.Result r = MonthlyBacktest.run(panel, s.monthly().models(), ElasticNetSettings.ewp(1), 1, s);
    System.err.println("CPU " + (os.getProcessCpuTime() - cpu0) / 1e9);
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
