package org.ewarn.panel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Warehouse datasets in the shape of jobs/MARTS.md, built straight from the bundled real files with
 * explicit column types (so panel tests do not depend on the ingest stage). Canonical keys are
 * approximated: gw_code = cow_code = the source's own code, which holds for the countries the tests
 * check (CAR 482, Syria 652).
 */
public final class WarehouseFixture {
  private final SparkSession spark;
  private final Path data;

  public WarehouseFixture(SparkSession spark, Path home) {
    this.spark = spark;
    this.data = home.resolve("jobs/data");
  }

  private static final java.util.Map<String, Dataset<Row>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** Parsing the gzip CSVs is the slow part of every panel test: each is read once per test JVM. */
  private Dataset<Row> cached(String name, java.util.function.Supplier<Dataset<Row>> build) {
    return CACHE.computeIfAbsent(name, n -> build.get().cache());
  }

  Dataset<Row> csv(String file) {
    return spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(data.resolve(file).toString());
  }

  private static Column date(String c) {
    return to_date(substring(col(c), 1, 10));
  }

  private static Column intOf(String c) {
    return col(c).try_cast("double").cast("int");
  }

  /** GED 23.1 CAR + global sample + 19.1 Syria, one row per event id. */
  public Dataset<Row> gedEvents() {
    return cached("gedEvents", this::gedEventsUncached);
  }

  private Dataset<Row> gedEventsUncached() {
    List<Dataset<Row>> parts = new ArrayList<>();
    for (String f : List.of("ucdp/ged-23.1-central-african-republic.csv.gz", "ucdp/ged-23.1-global-sample.csv.gz",
        "ucdp/ged-19.1-syria-2016-2019.csv.gz")) {
      parts.add(csv(f).select(col("id").try_cast("long").as("id"), intOf("year").as("year"),
          intOf("type_of_violence").as("type_of_violence"), date("date_start").as("date_start"),
          date("date_end").as("date_end"), intOf("best").as("best"), intOf("low").as("low"),
          intOf("high").as("high"), col("adm_1"), intOf("country_id").as("gw_code"),
          intOf("country_id").as("cow_code"), col("country").as("source_country")));
    }
    return parts.get(0).unionByName(parts.get(1)).unionByName(parts.get(2)).dropDuplicates("id");
  }

  public Dataset<Row> coups() {
    return cached("coups", this::coupsUncached);
  }

  private Dataset<Row> coupsUncached() {
    return csv("coups/powell-thyne-2022.csv.gz").select(intOf("ccode").as("ccode"),
        intOf("ccode").as("cow_code"), coalesce(intOf("ccode_gw"), intOf("ccode")).as("gw_code"),
        intOf("year").as("year"), intOf("month").as("month"), intOf("day").as("day"), intOf("coup").as("coup"),
        make_date(intOf("year"), intOf("month"), coalesce(intOf("day"), lit(1))).as("coup_date"));
  }

  public Dataset<Row> protests() {
    return cached("protests", this::protestsUncached);
  }

  private Dataset<Row> protestsUncached() {
    return csv("protests/mass-mobilization-derived-1990-2020.csv.gz").select(intOf("ccode").as("ccode"),
        intOf("ccode").as("cow_code"), intOf("ccode").as("gw_code"), intOf("year").as("year"),
        date("start_date").as("start_date"), date("end_date").as("end_date"),
        intOf("killings").as("killings"), intOf("shootings").as("shootings"), intOf("beatings").as("beatings"));
  }

  public Dataset<Row> gwStates() {
    return cached("gwStates", this::gwStatesUncached);
  }

  private Dataset<Row> gwStatesUncached() {
    return csv("crosswalks/gleditsch-ward-states.csv.gz").select(intOf("gwcode").as("gw_code"),
        date("start").as("start"), date("end").as("end"));
  }

  public Dataset<Row> episodes() {
    return cached("episodes", this::episodesUncached);
  }

  private Dataset<Row> episodesUncached() {
    return csv("ewp/mass-killing-episodes-2025.csv.gz")
        .where(col("mk_event_code").isNotNull())
        .select(col("mk_event_code"), col("mk_event_name"), intOf("mk_location_cow").as("mk_location_cow"),
            intOf("mk_location_cow").as("cow_code"), intOf("mk_location_cow").as("gw_code"),
            col("startyear").try_cast("double").as("startyear"), col("endyear").try_cast("double").as("endyear"),
            col("State-Led or Non-State-Led").as("state_led_or_non_state_led"));
  }

  public Dataset<Row> pitfGenocide() {
    return cached("pitfGenocide", this::pitfGenocideUncached);
  }

  private Dataset<Row> pitfGenocideUncached() {
    return csv("pitf/genocide-politicide-2014.csv.gz").select(intOf("CCODE").as("ccode"),
        intOf("CCODE").as("cow_code"), intOf("CCODE").as("gw_code"), intOf("YEAR").as("year"),
        intOf("MOBEGIN").as("mobegin"), intOf("YRBEGIN").as("yrbegin"), intOf("MOEND").as("moend"),
        intOf("YREND").as("yrend"));
  }

  /** EWP prepared predictors with normalised column names and doubles, as ingest writes them. */
  public Dataset<Row> predictors() {
    return cached("predictors", this::predictorsUncached);
  }

  private Dataset<Row> predictorsUncached() {
    Dataset<Row> raw = csv("ewp/prepared-predictors-2025.csv.gz");
    List<Column> cols = new ArrayList<>();
    for (String c : raw.columns()) {
      String n = c.toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
      if (c.equals("ewp_name")) {
        cols.add(col(c));
        cols.add(col(c).as("country"));
      } else if (c.equals("ccode")) {
        cols.add(intOf(c).as("ccode"));
        cols.add(intOf(c).as("cow_code"));
        cols.add(intOf(c).as("gw_code"));
      } else if (c.equals("year")) {
        cols.add(intOf(c).as("year"));
      } else {
        cols.add(col("`" + c + "`").try_cast("double").as(n));
      }
    }
    return raw.select(cols.toArray(Column[]::new));
  }
}
