package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ewarn.cli.Ewarn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling-origin construction on a one-country, one-year synthetic month history, with the
 * base-rate model (risk = share of onset months in its training window), so each forecast is a
 * count of months that can be done by hand.
 */
@org.junit.jupiter.api.Tag("slow")
class MonthlyProtocolTest {
  static final int JAN_2010 = MonthlyProtocol.monthIndex("2010-01");

  /** 2010-01 … 2010-12; onsets in March and June. */
  static MonthlyProtocol.History history() {
    int n = 12;
    int[] unit = new int[n];
    String[] name = new String[n];
    int[] month = new int[n];
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      unit[i] = 1;
      name[i] = "Testland";
      month[i] = JAN_2010 + i;
      x[i] = new double[] {1.0};
      y[i] = i == 2 || i == 5 ? 1 : 0;
    }
    return MonthlyProtocol.History.of(unit, name, month, x, y);
  }

  static final AnnualProtocol.Trainer BASE_RATE = (x, y) -> {
    double rate = Arrays.stream(y).average().orElseThrow();
    return row -> rate;
  };

  @Test
  void eachOriginUsesOnlyOutcomesBeforeIt() {
    List<MonthlyProtocol.MonthForecast> f = MonthlyProtocol.forecasts("base", history(),
        MonthlyProtocol.monthIndex("2010-05"), MonthlyProtocol.monthIndex("2010-08"), 2, 1, BASE_RATE);
    // origin May, lead 1: pairs (t, t+1) with t+1 ≤ April → outcomes of Feb, Mar, Apr = 0, 1, 0
    assertThat(forecast(f, "2010-05", 1).risk()).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(forecast(f, "2010-05", 1).target()).isEqualTo(MonthlyProtocol.monthIndex("2010-05"));
    // origin May, lead 2: outcomes of Mar, Apr = 1, 0; forecasts June
    assertThat(forecast(f, "2010-05", 2).risk()).isEqualTo(0.5);
    assertThat(forecast(f, "2010-05", 2).target()).isEqualTo(MonthlyProtocol.monthIndex("2010-06"));
    // origin July, lead 1: Feb … Jun = 0, 1, 0, 0, 1
    assertThat(forecast(f, "2010-07", 1).risk()).isCloseTo(0.4, within(1e-15));
    assertThat(f).hasSize(8);

    List<MetricsTable.Scored> byLead = MonthlyProtocol.scored(f, history(), true);
    assertThat(byLead).hasSize(8);
    assertThat(byLead.stream().map(MetricsTable.Scored::group).distinct().toList()).containsExactly("lead_1", "lead_2");
    // the lead-2 forecast for June (an onset month) is scored as an onset
    assertThat(MonthlyProtocol.scored(f, history(), false).stream()
        .filter(s -> s.group().equals("2010-06") && s.risk() == 0.5).map(MetricsTable.Scored::outcome).toList())
        .containsExactly(1);
  }

  @Test
  void refitsEveryNOriginsStillOnlyLookBack() {
    // refit every 3 origins: May's model also serves June and July
    List<MonthlyProtocol.MonthForecast> f = MonthlyProtocol.forecasts("base", history(),
        MonthlyProtocol.monthIndex("2010-05"), MonthlyProtocol.monthIndex("2010-07"), 1, 3, BASE_RATE);
    assertThat(f.stream().map(MonthlyProtocol.MonthForecast::risk).distinct().toList()).containsExactly(1.0 / 3);
    assertThat(f.stream().map(x -> MonthlyProtocol.monthLabel(x.target())).toList())
        .containsExactly("2010-05", "2010-06", "2010-07");
  }

  @Test
  void monthLabels() {
    assertThat(MonthlyProtocol.monthLabel(MonthlyProtocol.monthIndex("2021-12"))).isEqualTo("2021-12");
    assertThat(MonthlyProtocol.monthIndex("2010-01") + 1).isEqualTo(MonthlyProtocol.monthIndex("2010-02"));
  }

  @Test
  void theCommandSaysWhatIsMissingWhenThereIsNoMonthlyPanel(@TempDir Path empty) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Ewarn.run("backtest", "--protocol", "monthly", "--set", "warehouse.root=\"" + empty + "\"");
    } finally {
      System.setOut(original);
    }
    assertThat(code).isEqualTo(1);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("panel_country_month").contains("ewarn panel");
  }

  private static MonthlyProtocol.MonthForecast forecast(List<MonthlyProtocol.MonthForecast> f, String origin, int lead) {
    int o = MonthlyProtocol.monthIndex(origin);
    return f.stream().filter(x -> x.origin() == o && x.horizon() == lead).findFirst().orElseThrow();
  }
}
