package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Event features are those of the row's own year: no event dated after t reaches year t. */
class EventFeaturesTest {
  @Test
  void eachCountryYearGetsItsOwnYearsEventsAsLog2OnePlusAndNothingLater() {
    StructType panelSchema = new StructType().add("year", DataTypes.IntegerType).add("ccode", DataTypes.IntegerType);
    List<Row> panel = new ArrayList<>();
    for (int year = 1988; year <= 2001; year++) {
      panel.add(new GenericRowWithSchema(new Object[] {year, 482}, panelSchema));
    }
    StructType eventSchema = new StructType().add("cow_code", DataTypes.IntegerType).add("year", DataTypes.IntegerType)
        .add("os_deaths", DataTypes.IntegerType);
    List<Row> events = new ArrayList<>();
    for (int year = 1989; year <= 2001; year++) {
      // deaths only in 2000: 7; every other covered year 0
      events.add(new GenericRowWithSchema(new Object[] {482, year, year == 2000 ? 7 : 0}, eventSchema));
    }
    List<Row> joined = EventFeatures.join(panel, events, "cow_code", List.of("os_deaths"), List.of("ov_os_deaths_log2"));
    int col = joined.get(0).fieldIndex("ov_os_deaths_log2");
    for (Row r : joined) {
      int year = r.getInt(0);
      if (year == 1988) {
        assertThat(r.isNullAt(col)).as("before UCDP's coverage").isTrue();
      } else if (year == 2000) {
        assertThat(r.getDouble(col)).isEqualTo(3.0); // log2(1 + 7)
      } else {
        assertThat(r.getDouble(col)).as("year " + year).isEqualTo(0.0); // 1999 does not see 2000's deaths
      }
    }
  }
  @Test
  void aFlaggedColumnReadsYearsItsSourceDoesNotCoverAsZeroAndSaysSo() {
    StructType panelSchema = new StructType().add("year", DataTypes.IntegerType).add("ccode", DataTypes.IntegerType);
    List<Row> panel = new ArrayList<>();
    for (int year = 2019; year <= 2022; year++) {
      panel.add(new GenericRowWithSchema(new Object[] {year, 482}, panelSchema));
    }
    // the protest source ends in 2020 (null after), the deaths go on; 2022 has no event row at all
    StructType eventSchema = new StructType().add("ccode", DataTypes.IntegerType).add("year", DataTypes.IntegerType)
        .add("deaths", DataTypes.IntegerType).add("protests", DataTypes.IntegerType);
    List<Row> events = List.of(
        new GenericRowWithSchema(new Object[] {482, 2019, 3, 2}, eventSchema),
        new GenericRowWithSchema(new Object[] {482, 2020, 0, 0}, eventSchema),
        new GenericRowWithSchema(new Object[] {482, 2021, 7, null}, eventSchema));
    List<Row> joined = EventFeatures.join(panel, events, "ccode", List.of(
        new EventFeatures.Feature("deaths", "deaths_log2", EventFeatures.Transform.LOG2, null),
        new EventFeatures.Feature("protests", "protests_any", EventFeatures.Transform.INDICATOR, "protests_covered")));
    StructType schema = joined.get(0).schema();
    assertThat(schema.fieldNames()).containsExactly("year", "ccode", "deaths_log2", "protests_any", "protests_covered");
    // {deaths_log2, protests_any, protests_covered} of 2019 ... 2022
    Object[][] expected = {{2.0, 1.0, 1.0}, {0.0, 0.0, 1.0}, {3.0, 0.0, 0.0}, {null, 0.0, 0.0}};
    for (int k = 0; k < expected.length; k++) {
      Row r = joined.get(k);
      assertThat(new Object[] {r.get(2), r.get(3), r.get(4)}).as("year " + r.getInt(0)).containsExactly(expected[k]);
    }
  }
}
