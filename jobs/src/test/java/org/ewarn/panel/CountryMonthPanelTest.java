package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("slow")
class CountryMonthPanelTest extends SparkTest {

  private Dataset<Row> panel() {
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    CountryMonthPanel.Inputs in = new CountryMonthPanel.Inputs(f.gedEvents(), null, f.coups(), f.protests(),
        f.gwStates(), f.episodes(), f.pitfGenocide(), 2024);
    return CountryMonthPanel.build(in, PanelConfig.defaults());
  }

  /** Per month of 2013 (by date_end): [events, deaths] per violence type, read from the raw file. */
  private static Map<Integer, int[]> carByMonth2013() throws Exception {
    Map<Integer, int[]> out = new HashMap<>();
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        HOME.resolve("jobs/data/ucdp/ged-23.1-central-african-republic.csv.gz"))), StandardCharsets.UTF_8)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        String end = rec.get("date_end");
        if (!rec.get("country_id").equals("482") || !end.startsWith("2013-")) {
          continue;
        }
        int month = Integer.parseInt(end.substring(5, 7));
        int type = Integer.parseInt(rec.get("type_of_violence"));
        int[] v = out.computeIfAbsent(month, m -> new int[6]);
        v[(type - 1) * 2] += 1;
        v[(type - 1) * 2 + 1] += Integer.parseInt(rec.get("best"));
      }
    }
    return out;
  }

  @Test
  void centralAfricanRepublic2013EventsLandInTheirMonthsWithTheirFatalities() throws Exception {
    Map<Integer, int[]> expected = carByMonth2013();
    assertThat(expected).isNotEmpty();
    List<Row> rows = panel().where(col("gw_code").equalTo(482).and(col("year").equalTo(2013)))
        .orderBy("month_index").collectAsList();
    assertThat(rows).hasSize(12);
    int totalDeaths = 0;
    for (Row row : rows) {
      int month = row.<java.sql.Date>getAs("month_start").toLocalDate().getMonthValue();
      int[] e = expected.getOrDefault(month, new int[6]);
      String[] cols = {"ged_sb_events", "ged_sb_deaths", "ged_ns_events", "ged_ns_deaths", "ged_os_events", "ged_os_deaths"};
      for (int i = 0; i < cols.length; i++) {
        assertThat(row.<Integer>getAs(cols[i])).as(cols[i] + " in 2013-" + month).isEqualTo(e[i]);
      }
      totalDeaths += row.<Integer>getAs("ged_sb_deaths") + row.<Integer>getAs("ged_ns_deaths")
          + row.<Integer>getAs("ged_os_deaths");
    }
    // December 2013 (the Bangui massacres) must dominate the year, as every account of it says.
    Row december = rows.get(11);
    assertThat(december.<Integer>getAs("ged_os_deaths") + december.<Integer>getAs("ged_sb_deaths")
        + december.<Integer>getAs("ged_ns_deaths")).isGreaterThan(totalDeaths / 3);
    // rolling 3-month sum at December = Oct + Nov + Dec
    int os3 = 0;
    for (int m = 10; m <= 12; m++) {
      os3 += expected.getOrDefault(m, new int[6])[5];
    }
    assertThat(december.<Long>getAs("ged_os_deaths_3m")).isEqualTo(os3);
  }

  @Test
  void monthsWithoutEventsAreZerosForMemberStatesOnly() throws Exception {
    Dataset<Row> p = panel().cache();
    Set<Integer> carMonths = carByMonth2013().keySet();
    // CAR 2013 months with no GED event are zero, not null
    for (Row row : p.where(col("gw_code").equalTo(482).and(col("year").equalTo(2013))).collectAsList()) {
      int month = row.<java.sql.Date>getAs("month_start").toLocalDate().getMonthValue();
      if (!carMonths.contains(month)) {
        assertThat(row.<Integer>getAs("ged_os_events")).isZero();
        assertThat(row.<Integer>getAs("ged_sb_deaths")).isZero();
      }
    }
    // Iceland has no event in the data: every month of 1989-2022 is present and zero
    Dataset<Row> iceland = p.where(col("gw_code").equalTo(395));
    assertThat(iceland.count()).isEqualTo(34L * 12);
    assertThat(iceland.where(col("ged_os_deaths").notEqual(0).or(col("ged_os_deaths").isNull())).count()).isZero();
    // South Sudan enters the system on 2011-07-09: its first row is July 2011
    Row southSudan = p.where(col("gw_code").equalTo(626)).orderBy("month_index").first();
    assertThat(southSudan.<java.sql.Date>getAs("month_start").toString()).isEqualTo("2011-07-01");
    // Yugoslavia (345) ends on 2006-06-04, Serbia (340) starts on 2006-06-05: both have June 2006
    assertThat(p.where(col("gw_code").equalTo(345)).agg(org.apache.spark.sql.functions.max("month_start"))
        .first().get(0).toString()).isEqualTo("2006-06-01");
    assertThat(p.where(col("gw_code").equalTo(340)).agg(org.apache.spark.sql.functions.min("month_start"))
        .first().get(0).toString()).isEqualTo("2006-06-01");
    // no duplicate keys
    assertThat(p.select("gw_code", "month_index").distinct().count()).isEqualTo(p.count());
    p.unpersist();
  }

  @Test
  void coupsInTheLookbackWindowComeFromTheCoupList() {
    // CAR: failed coup 2001-05-28 and successful coup 2003-03-15 (Powell & Thyne)
    Dataset<Row> car = panel().where(col("gw_code").equalTo(482));
    Set<String> withCoup = new HashSet<>();
    for (Row r : car.where(col("coup_attempts_12m").gt(0)).collectAsList()) {
      withCoup.add(r.getAs("month_start").toString().substring(0, 7));
    }
    assertThat(withCoup).contains("2001-05", "2002-04", "2003-03", "2004-02").doesNotContain("2001-04", "2004-03");
  }
}
