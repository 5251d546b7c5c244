package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.ingest.IngestFixture;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/**
 * The country-month panel on the global series as ingested from the bundled VIEWS file, with the
 * bundled GED events beside it. Expected values were read by hand from the raw Parquet file
 * (views id 156 = RWA, id 70 = CAF; month_id = (year − 1980) × 12 + month), and for CAR 2013
 * also summed by hand from the GED 23.1 CAR extract by date_end: both give the same one-sided
 * deaths per month.
 */
class GlobalCountryMonthPanelTest extends SparkTest {
  /** CAR 2013, January … December: one-sided deaths and events in the VIEWS series. */
  private static final int[] CAR_2013_OS_DEATHS = {3, 33, 27, 117, 36, 74, 222, 26, 762, 45, 165, 1180};
  private static final int[] CAR_2013_OS_EVENTS = {3, 5, 7, 17, 7, 12, 5, 8, 24, 12, 4, 36};
  private static Warehouse warehouse;
  private static Dataset<Row> series;
  private static Dataset<Row> panel;

  /** The series and the GED event sources ingested as conf/ingest.conf declares them. */
  private Warehouse warehouse() throws Exception {
    if (warehouse == null) {
      Path root = Files.createTempDirectory("ewarn-panel-series");
      IngestFixture.ingest(spark(), root, Set.of("ged-cm-views", "ged", "ged-sample", "ged-19-syria"));
      warehouse = Warehouse.open(root.toString());
    }
    return warehouse;
  }

  private Dataset<Row> series() throws Exception {
    if (series == null) {
      Warehouse w = warehouse();
      series = SparkMarts.read(spark(), w.latest("ucdp_ged_cm").orElseThrow()).cache();
    }
    return series;
  }

  /** The panel through 2023-06: past the events (2022-12) and the series (2021-06). */
  private Dataset<Row> panel() throws Exception {
    if (panel == null) {
      WarehouseFixture f = new WarehouseFixture(spark(), HOME);
      PanelConfig defaults = PanelConfig.defaults();
      PanelConfig cfg = new PanelConfig(2, 12, List.of(3, 6, 12), 12, "1989-01", "2023-06", "test",
          defaults.escalation(), defaults.agreement());
      Dataset<Row> events = PanelAction.events(spark(), warehouse(), "ged_events", "id", new java.util.ArrayList<>());
      EventCoverage coverage = EventCoverage.ofVintages(spark(), warehouse(), "ged_events");
      panel = CountryMonthPanel.build(new CountryMonthPanel.Inputs(events, null, f.coups(), f.protests(),
          f.gwStates(), f.episodes(), f.pitfGenocide(), 2024, series(), coverage), cfg).cache();
    }
    return panel;
  }

  private Row at(int gw, int year, int month) throws Exception {
    List<Row> rows = panel().where(col("gw_code").equalTo(gw).and(col("year").equalTo(year))
        .and(col("month").equalTo(month))).collectAsList();
    assertThat(rows).as(gw + " " + year + "-" + month).hasSize(1);
    return rows.get(0);
  }

  @Test
  void rwandaApril1994ComesFromTheSeries() throws Exception {
    Row r = at(517, 1994, 4);
    assertThat(r.<Integer>getAs("ged_os_deaths")).isEqualTo(433924);
    assertThat(r.<Integer>getAs("ged_os_events")).isEqualTo(990);
    assertThat(r.<Integer>getAs("ged_sb_deaths")).isEqualTo(542);
    assertThat(r.<String>getAs("ged_source")).isEqualTo("ged_cm_views");
    assertThat(r.<Boolean>getAs("covered_ged_cm")).isTrue();
  }

  @Test
  void centralAfricanRepublic2013MonthByMonthAndTheEventsAgree() throws Exception {
    for (int m = 1; m <= 12; m++) {
      Row r = at(482, 2013, m);
      assertThat(r.<Integer>getAs("ged_os_deaths")).as("month " + m).isEqualTo(CAR_2013_OS_DEATHS[m - 1]);
      assertThat(r.<Integer>getAs("ged_os_events")).as("month " + m).isEqualTo(CAR_2013_OS_EVENTS[m - 1]);
      assertThat(r.<String>getAs("ged_source")).isEqualTo("ged_cm_views");
      assertThat(r.<Boolean>getAs("covered_ged_events")).isTrue();
    }
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    List<SeriesAgreement.Result> checks = SeriesAgreement.of(f.gedEvents(), series(),
        new PanelConfig.Agreement(List.of(new PanelConfig.Check(482, "2013-01", "2013-12")), 5, 0.10, 0.9));
    assertThat(checks).hasSize(1);
    SeriesAgreement.Result car = checks.get(0);
    assertThat(car.months()).isEqualTo(12);
    assertThat(car.agreeing()).isEqualTo(12);
    assertThat(car.seriesDeaths()).isEqualTo(java.util.Arrays.stream(CAR_2013_OS_DEATHS).sum());
    assertThat(car.passed()).isTrue();
  }

  @Test
  void zeroOnlyInsideASourcesCoverageNullOutside() throws Exception {
    Row calm = at(395, 1995, 6); // Iceland: in the series, no violence
    assertThat(calm.<Integer>getAs("ged_os_deaths")).isZero();
    assertThat(calm.<String>getAs("ged_source")).isEqualTo("ged_cm_views");
    Row eventsOnly = at(482, 2022, 3); // after the series, inside the GED 23.1 events
    assertThat(eventsOnly.<Boolean>getAs("covered_ged_cm")).isFalse();
    assertThat(eventsOnly.<String>getAs("ged_source")).isEqualTo("ged_events");
    assertThat(eventsOnly.<Integer>getAs("ged_os_deaths")).isNotNull();
    Row unknown = at(395, 2023, 3); // after every source
    assertThat(unknown.<Boolean>getAs("covered_ged_cm")).isFalse();
    assertThat(unknown.<Boolean>getAs("covered_ged_events")).isFalse();
    assertThat(unknown.<String>getAs("ged_source")).isNull();
    assertThat(unknown.<Integer>getAs("ged_os_deaths")).isNull();
    assertThat(unknown.<Integer>getAs("os_escalation_onset")).isNull();
  }

  /** First and last month_index of the series: 1989-01 … 2021-06. */
  private static final int SERIES_FIRST = 1989 * 12;
  private static final int SERIES_LAST = 2021 * 12 + 5;

  /**
   * The G-W country-months of the series span counted straight from the G-W list (a state is a
   * member from the month of its start date to the month of its end date), without Spark.
   */
  private static Map<Integer, Set<Integer>> gleditschWardMonths() throws Exception {
    Map<Integer, Set<Integer>> out = new TreeMap<>();
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        HOME.resolve("jobs/data/crosswalks/gleditsch-ward-states.csv.gz"))), StandardCharsets.UTF_8)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        YearMonth start = YearMonth.parse(rec.get("start").substring(0, 7));
        YearMonth end = YearMonth.parse(rec.get("end").substring(0, 7));
        int from = Math.max(SERIES_FIRST, start.getYear() * 12 + start.getMonthValue() - 1);
        int to = Math.min(SERIES_LAST, end.getYear() * 12 + end.getMonthValue() - 1);
        for (int m = from; m <= to; m++) {
          out.computeIfAbsent(Integer.parseInt(rec.get("gwcode")), g -> new TreeSet<>()).add(m);
        }
      }
    }
    return out;
  }

  /**
   * Every G-W country-month 1989-01 … 2021-06 (74,738, counted from the G-W list) is in the panel,
   * and all are covered by the series except those of the two states views-countries.parquet has no
   * id for: Abkhazia (396) and South Ossetia (397), G-W members since 2008-08-26, 155 months each.
   * Before the microstates got their G-W codes from the G-W list, 66,307 were covered (88.7 %).
   */
  @Test
  void everyGleditschWardCountryMonthOfTheSeriesSpanIsInThePanel() throws Exception {
    Map<Integer, Set<Integer>> members = gleditschWardMonths();
    long expectedRows = members.values().stream().mapToLong(Set::size).sum();
    assertThat(expectedRows).isEqualTo(74_738L);
    int abkhaziaFrom = 2008 * 12 + 7;
    assertThat(members.get(396)).hasSize(155).first().isEqualTo(abkhaziaFrom);
    assertThat(members.get(397)).hasSize(155).first().isEqualTo(abkhaziaFrom);

    Dataset<Row> span = panel().where(col("month_index").between(SERIES_FIRST, SERIES_LAST));
    assertThat(span.count()).isEqualTo(expectedRows);
    List<Row> uncovered = span.where(not(col("covered_ged_cm")))
        .groupBy("gw_code").agg(count(lit(1)), min("month_index"), max("month_index"))
        .orderBy("gw_code").collectAsList();
    assertThat(uncovered).extracting(Row::toString).containsExactly(
        "[396,155," + abkhaziaFrom + "," + SERIES_LAST + "]",
        "[397,155," + abkhaziaFrom + "," + SERIES_LAST + "]");
    assertThat(span.where(col("covered_ged_cm")).count()).isEqualTo(expectedRows - 2 * 155);
    assertThat(span.where(col("covered_ged_cm").and(col("ged_os_deaths").isNull())).count()).isZero();
  }

  /** Month indexes of the date_end of a bundled GED file's events, by G-W code (country_id). */
  private static Map<Integer, TreeSet<Integer>> eventMonths(String file) throws Exception {
    Map<Integer, TreeSet<Integer>> out = new TreeMap<>();
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        HOME.resolve("jobs/data/ucdp/" + file))), StandardCharsets.UTF_8)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        YearMonth end = YearMonth.parse(rec.get("date_end").substring(0, 7));
        out.computeIfAbsent(Integer.parseInt(rec.get("country_id")), g -> new TreeSet<>())
            .add(end.getYear() * 12 + end.getMonthValue() - 1);
      }
    }
    return out;
  }

  /**
   * After the series only the CAR extract is complete: the global sample (coverage = sample)
   * covers no country, so a sampled country's months read null, not 0 deaths; CAR is covered from
   * the first to the last month of its extract, Syria over the 19.1 extract's span only.
   */
  @Test
  void aSampleCoversNoCountryAndAnExtractOnlyItsOwnCountryAndSpan() throws Exception {
    Dataset<Row> afterSeries = panel().where(col("month_index").gt(SERIES_LAST));
    assertThat(afterSeries.where(col("covered_ged_events")).select("gw_code").distinct().collectAsList())
        .extracting(r -> r.getInt(0)).containsExactly(482);

    TreeSet<Integer> car = eventMonths("ged-23.1-central-african-republic.csv.gz").get(482);
    assertThat(panel().where(col("gw_code").equalTo(482).and(col("covered_ged_events")))
        .agg(count(lit(1)), min("month_index"), max("month_index")).first().toString())
        .isEqualTo("[" + (car.last() - car.first() + 1) + "," + car.first() + "," + car.last() + "]");

    TreeSet<Integer> syria = eventMonths("ged-19.1-syria-2016-2019.csv.gz").get(652);
    assertThat(panel().where(col("gw_code").equalTo(652).and(col("covered_ged_events")))
        .agg(min("month_index"), max("month_index")).first().toString())
        .isEqualTo("[" + syria.first() + "," + syria.last() + "]");

    // every country-month after the series with a sampled event (outside CAR) stays unknown
    Map<Integer, TreeSet<Integer>> sampled = eventMonths("ged-23.1-global-sample.csv.gz");
    List<int[]> sampledAfter = new java.util.ArrayList<>();
    sampled.forEach((gw, months) -> months.tailSet(SERIES_LAST + 1).forEach(m -> {
      if (gw != 482 && m <= 2023 * 12 + 5) {
        sampledAfter.add(new int[] {gw, m});
      }
    }));
    assertThat(sampledAfter).isNotEmpty();
    // one join instead of one query per country-month (hundreds of Spark jobs, ~30 s)
    List<Row> keys = sampledAfter.stream().map(gm -> org.apache.spark.sql.RowFactory.create(gm[0], gm[1])).toList();
    Dataset<Row> wanted = spark().createDataFrame(keys, new org.apache.spark.sql.types.StructType()
        .add("gw_code", org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("month_index", org.apache.spark.sql.types.DataTypes.IntegerType));
    List<Row> sampledRows = panel().join(wanted, new String[] {"gw_code", "month_index"})
        .select("gw_code", "month_index", "covered_ged_events", "ged_os_deaths", "ged_source").collectAsList();
    for (Row r : sampledRows) { // none when the sampled country is not a G-W member that month
      String gm = r.get(0) + " " + r.get(1);
      assertThat(r.<Boolean>getAs("covered_ged_events")).as(gm).isFalse();
      assertThat(r.<Integer>getAs("ged_os_deaths")).as(gm).isNull();
      assertThat(r.<String>getAs("ged_source")).as(gm).isNull();
    }
    Row calmOrUnknown = at(395, 2022, 3); // Iceland after the series: not in the sample, so unknown
    assertThat(calmOrUnknown.<Boolean>getAs("covered_ged_events")).isFalse();
    assertThat(calmOrUnknown.<Integer>getAs("ged_os_deaths")).isNull();
  }

  @Test
  void escalationOnsetsNumberAboutTwoHundredMoreThanHalfSince2000() throws Exception {
    Row r = panel().where(col("month_index").leq(2021 * 12 + 5)).agg(
        org.apache.spark.sql.functions.sum(col("os_escalation_onset")),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(col("year").geq(2000),
            col("os_escalation_onset")))).first();
    long total = ((Number) r.get(0)).longValue();
    long since2000 = ((Number) r.get(1)).longValue();
    assertThat(total).isBetween(150L, 260L);
    assertThat(since2000).isGreaterThan(100L);
  }
}
