package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

/** The onset-month outcomes on a hand-built series whose onsets are worked out by hand below. */
class OnsetMonthsTest extends SparkTest {
  private static final int Y = 2000;

  /**
   * Country 1, months 2000-01 … 2002-12 (index 0 = 2000-01 here), one-sided deaths:
   * 2000-01..03 unknown (null), 2000-04..2001-03 twelve months of 0…24, 2001-04 = 25 → onset
   * (12 known quiet months before it); 2001-05 = 0; 2001-06 = 30 → not an onset (2001-04 ≥ 25
   * lies in the 12 before); 2002-06 = 25 → not an onset (2001-06 lies in the 12 before, 2001-06 …
   * 2002-05 is 12 months); 2002-07 = 0; 2002-08 = 26 → not an onset (2002-06 within 12); nothing more.
   * Country 2: 2000-01 … 2000-12 unknown, 2001-01 = 100 → unknown (null): its 12 months before are
   * not known. Country 3: quiet (0) throughout, 2002-03 = 40 → onset.
   */
  private Dataset<Row> series() {
    Map<Integer, Integer> c1 = new HashMap<>();
    for (int m = 3; m < 36; m++) {
      c1.put(m, 0);
    }
    c1.put(3, 24);
    c1.put(8, 10);
    c1.put(15, 25);
    c1.put(17, 30);
    c1.put(29, 25);
    c1.put(31, 26);
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < 36; m++) {
      rows.add(RowFactory.create(1, (Y * 12) + m, Y + m / 12, m % 12 + 1, c1.get(m)));
      rows.add(RowFactory.create(2, (Y * 12) + m, Y + m / 12, m % 12 + 1, m < 12 ? null : (m == 12 ? 100 : 0)));
      rows.add(RowFactory.create(3, (Y * 12) + m, Y + m / 12, m % 12 + 1, m == 26 ? 40 : 0));
    }
    StructType schema = new StructType().add("gw_code", DataTypes.IntegerType).add("month_index", DataTypes.IntegerType)
        .add("year", DataTypes.IntegerType).add("month", DataTypes.IntegerType).add("ged_os_deaths", DataTypes.IntegerType);
    return spark().createDataFrame(rows, schema);
  }

  /** EWP onsets: country 1 in 2001 (first one-sided deaths 2001-04), country 3 in 2000 (none all year). */
  private Dataset<Row> episodes() {
    StructType s = new StructType().add("gw_code", DataTypes.IntegerType).add("startyear", DataTypes.DoubleType)
        .add("state_led_or_non_state_led", DataTypes.StringType);
    return spark().createDataFrame(List.of(RowFactory.create(1, 2001.0, "State-led"),
        RowFactory.create(3, 2000.0, "Non-state-led")), s);
  }

  /** PITF: country 2 begins 2002-09; the list covers up to 2001 → 2002 unknown. */
  private Dataset<Row> pitf() {
    StructType s = new StructType().add("gw_code", DataTypes.IntegerType).add("yrbegin", DataTypes.IntegerType)
        .add("mobegin", DataTypes.IntegerType).add("year", DataTypes.IntegerType);
    return spark().createDataFrame(List.of(RowFactory.create(2, 2001, 9, 2001)), s);
  }

  private Map<String, Integer[]> outcomes() {
    CountryMonthPanel.Inputs in = new CountryMonthPanel.Inputs(null, null, null, null, null, episodes(), pitf(), 2001);
    Dataset<Row> out = MonthlyOutcomes.withOnsetMonths(series(), in, new PanelConfig.Escalation(25, 12));
    Map<String, Integer[]> by = new HashMap<>();
    for (Row r : out.orderBy("gw_code", "month_index").collectAsList()) {
      by.put(r.getAs("gw_code") + ":" + Months.of(r.getAs("month_index")),
          new Integer[] {r.getAs("os_escalation_onset"), r.getAs("ewp_mk_onset_month"), r.getAs("pitf_gp_onset_month")});
    }
    return by;
  }

  @Test
  void escalationOnsetsAreTheFirstMonthAtTheThresholdAfterTwelveQuietOnes() {
    Map<String, Integer[]> o = outcomes();
    List<String> onsets = o.entrySet().stream().filter(e -> Integer.valueOf(1).equals(e.getValue()[0]))
        .map(Map.Entry::getKey).sorted().toList();
    assertThat(onsets).containsExactly("1:2001-04", "3:2002-03");
    assertThat(o.get("1:2000-02")[0]).as("unknown month").isNull();
    assertThat(o.get("1:2000-05")[0]).as("below T").isZero();
    assertThat(o.get("1:2001-06")[0]).as("25+ within the 12 before").isZero();
    assertThat(o.get("1:2002-06")[0]).isZero();
    assertThat(o.get("1:2002-08")[0]).isZero();
    assertThat(o.get("2:2001-01")[0]).as("12 months before not known").isNull();
    assertThat(o.get("2:2001-02")[0]).as("below T is known not to be an onset").isZero();
    assertThat(o.get("3:2000-12")[0]).as("fewer than 12 known months before, below T").isZero();
  }

  @Test
  void ewpOnsetsAreDatedToTheFirstMonthWithOneSidedDeathsElseJanuary() {
    Map<String, Integer[]> o = outcomes();
    List<String> onsets = o.entrySet().stream().filter(e -> Integer.valueOf(1).equals(e.getValue()[1]))
        .map(Map.Entry::getKey).sorted().toList();
    assertThat(onsets).containsExactly("1:2001-04", "3:2000-01");
    assertThat(o.get("1:2001-05")[1]).isZero();
    assertThat(o.get("1:2002-01")[1]).as("after the list's last year").isNull();
    CountryMonthPanel.Inputs in = new CountryMonthPanel.Inputs(null, null, null, null, null, episodes(), pitf(), 2001);
    List<Row> cases = MonthlyOutcomes.withOnsetMonths(series(), in, new PanelConfig.Escalation(25, 12))
        .where(col("ewp_mk_onset_month").equalTo(1)).orderBy("gw_code").select("ewp_mk_onset_dated_by").collectAsList();
    assertThat(cases).extracting(r -> r.getString(0)).containsExactly("first_os_month", "january_no_os_deaths");
  }

  @Test
  void pitfOnsetsSitInTheirBeginMonthAndAreUnknownAfterTheList() {
    Map<String, Integer[]> o = outcomes();
    assertThat(o.get("2:2001-09")[2]).isEqualTo(1);
    assertThat(o.get("2:2001-08")[2]).isZero();
    assertThat(o.get("1:2001-09")[2]).isZero();
    assertThat(o.get("2:2002-01")[2]).isNull();
  }
}
