package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("slow")
class CountryYearPanelTest extends SparkTest {

  private static List<CSVRecord> raw(String file) throws Exception {
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(HOME.resolve("jobs/data/" + file))),
        StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
    }
  }

  private Dataset<Row> panel() {
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    return CountryYearPanel.build(new CountryYearPanel.Inputs(f.predictors(), f.gedEvents(), f.coups(), f.protests(),
        f.pitfGenocide(), f.episodes()), PanelConfig.defaults());
  }

  @Test
  void keepsTheEwpPanelAndAddsEventFeaturesCheckedAgainstTheRawFiles() throws Exception {
    Dataset<Row> p = panel().cache();
    assertThat(p.count()).isEqualTo(raw("ewp/prepared-predictors-2025.csv.gz").size());

    Map<Integer, Integer> carDeathsByYear = new TreeMap<>();
    for (CSVRecord r : raw("ucdp/ged-23.1-central-african-republic.csv.gz")) {
      if (r.get("type_of_violence").equals("3")) {
        carDeathsByYear.merge(Integer.parseInt(r.get("date_end").substring(0, 4)), Integer.parseInt(r.get("best")),
            Integer::sum);
      }
    }
    Row car2013 = p.where(col("ccode").equalTo(482).and(col("year").equalTo(2013))).first();
    assertThat(car2013.<Long>getAs("ged_os_deaths")).isEqualTo(carDeathsByYear.get(2013).longValue());
    assertThat(car2013.<Double>getAs("battledeaths_log2")).isNotNull();

    // coups in CAR: 2001 (failed) and 2003 (successful)
    Row car2003 = p.where(col("ccode").equalTo(482).and(col("year").equalTo(2003))).first();
    assertThat(car2003.<Long>getAs("coup_attempts_1yr")).isEqualTo(1L);
    assertThat(car2003.<Long>getAs("coup_attempts_5yr")).isEqualTo(2L);
    Row car2008 = p.where(col("ccode").equalTo(482).and(col("year").equalTo(2008))).first();
    assertThat(car2008.<Long>getAs("coup_attempts_5yr")).isZero();
    // PITF stops in 2014: later years are unknown, not "no episode"
    assertThat(p.where(col("year").gt(2014).and(col("pitf_gp_ongoing").isNotNull())).count()).isZero();
    assertThat(p.where(col("year").equalTo(2010).and(col("pitf_gp_ongoing").isNull())).count()).isZero();
    p.unpersist();
  }

  @Test
  void onsetOutcomesFollowTheEpisodeList() throws Exception {
    Dataset<Row> p = panel().cache();
    List<int[]> stateLed = new ArrayList<>();
    for (CSVRecord r : raw("ewp/mass-killing-episodes-2025.csv.gz")) {
      if (r.get("mk_location_cow").isEmpty() || r.get("startyear").isEmpty()) {
        continue;
      }
      int cow = (int) Double.parseDouble(r.get("mk_location_cow"));
      int start = (int) Double.parseDouble(r.get("startyear"));
      if (r.get("State-Led or Non-State-Led").equals("State-Led")) {
        stateLed.add(new int[] {cow, start});
      }
    }
    Map<String, Row> byKey = new java.util.HashMap<>();
    for (Row r : p.select("ccode", "year", "mk_onset_state_within", "mk_onset_any_within").collectAsList()) {
      byKey.put(r.getInt(0) + "/" + r.getInt(1), r);
    }
    int checked = 0;
    for (int[] e : stateLed) {
      for (int y = e[1] - 2; y <= e[1] - 1; y++) {
        Row r = byKey.get(e[0] + "/" + y);
        if (r == null) {
          continue;
        }
        assertThat(r.<Integer>getAs("mk_onset_state_within")).as("episode %s/%s", e[0], e[1]).isEqualTo(1);
        assertThat(r.<Integer>getAs("mk_onset_any_within")).isEqualTo(1);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
    // the horizon runs past the list: the last two years are unknown
    assertThat(p.where(col("year").geq(2023).and(col("mk_onset_any_within").isNotNull())).count()).isZero();
    // every EWP mk_onset_1or2 = 1 row is an onset within two years on the list, up to the list's 2022 rows
    assertThat(p.where(col("mk_onset_1or2").equalTo(1.0).and(col("year").leq(2022))
        .and(col("mk_onset_any_within").equalTo(0))).count()).isLessThan(5);
    p.unpersist();
  }

  /**
   * UCDP OV 25.1 of the year itself: Rwanda 1994 in the raw CSV (country_id_cy 517, year_cy 1994)
   * has os_total_deaths_best_cy 770581 = os_any_govt_killings_best_cy 759638 +
   * os_nsgroup_killings_best_cy 10943, sb_total_deaths_best_cy 1882. Later years never reach t.
   */
  @Test
  void organizedViolenceColumnsAreTheYearItself() {
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    Dataset<Row> raw = f.csv("ucdp/organized-violence-country-year-25.1.csv.gz");
    Dataset<Row> ov = raw.select(col("country_id_cy").cast("int").as("cow_code"), col("year_cy").cast("int").as("year"),
        col("os_total_deaths_best_cy").cast("int").as("os_deaths"), col("os_any_govt_killings_best_cy").cast("int").as("os_gov_deaths"),
        col("os_nsgroup_killings_best_cy").cast("int").as("os_nonstate_deaths"),
        col("ns_total_deaths_best_cy").cast("int").as("ns_deaths"), col("sb_total_deaths_best_cy").cast("int").as("sb_deaths"));
    Dataset<Row> rows = f.predictors().select(col("ccode").cast("int").as("ccode"), col("year").cast("int").as("year"))
        .where(col("ccode").equalTo(517).and(col("year").between(1993, 1995)));
    Row r1994 = CountryYearPanel.withOrganizedViolence(rows, ov).where(col("year").equalTo(1994)).first();
    assertThat(r1994.<Long>getAs("ov_os_deaths")).isEqualTo(770581L);
    assertThat(r1994.<Long>getAs("ov_os_gov_deaths")).isEqualTo(759638L);
    assertThat(r1994.<Long>getAs("ov_os_nonstate_deaths")).isEqualTo(10943L);
    assertThat(r1994.<Long>getAs("ov_sb_deaths")).isEqualTo(1882L);
    Dataset<Row> changed = ov.withColumn("os_deaths",
        org.apache.spark.sql.functions.when(col("year").gt(1994), col("os_deaths").plus(1000)).otherwise(col("os_deaths")));
    assertThat(CountryYearPanel.withOrganizedViolence(rows, changed).where(col("year").equalTo(1994)).first()
        .<Long>getAs("ov_os_deaths")).isEqualTo(770581L);
    assertThat(CountryYearPanel.withOrganizedViolence(rows, null).first().<Long>getAs("ov_os_deaths")).isNull();
  }
}
