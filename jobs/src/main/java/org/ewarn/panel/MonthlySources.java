package org.ewarn.panel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Each source of the country-month panel as counts per G-W country and month (GED events, the GED
 * country-month series, ACLED), and the GED columns of the panel chosen between the series and
 * the events.
 */
final class MonthlySources {
  private MonthlySources() {}

  /** GED type_of_violence codes and the prefixes of their columns. */
  static final List<String[]> VIOLENCE_TYPES =
      List.of(new String[] {"1", "ged_sb"}, new String[] {"2", "ged_ns"}, new String[] {"3", "ged_os"});

  static List<String> gedCountColumns() {
    List<String> out = new ArrayList<>();
    for (String[] t : VIOLENCE_TYPES) {
      out.add(t[1] + "_events");
      out.add(t[1] + "_deaths");
    }
    return out;
  }

  /**
   * GED columns: the series' value where it has the country-month (it is complete for every
   * country), else the events' count inside the events' span (zero when none), else null. Says
   * which source each row's values come from and where each source is known.
   */
  static Dataset<Row> withGed(Dataset<Row> panel, Dataset<Row> events, EventCoverage eventsCoverage, Dataset<Row> series) {
    Dataset<Row> joined = panel.join(events, new String[] {"gw_code", "month_index"}, "left");
    if (series != null) {
      Dataset<Row> s = series;
      for (String c : gedCountColumns()) {
        s = s.withColumnRenamed(c, "_series_" + c);
      }
      joined = joined.join(s.withColumn("_in_series", lit(true)), new String[] {"gw_code", "month_index"}, "left");
    } else {
      joined = joined.withColumn("_in_series", lit(null).cast("boolean"));
      for (String c : gedCountColumns()) {
        joined = joined.withColumn("_series_" + c, lit(null).cast("int"));
      }
    }
    Column inSeries = coalesce(col("_in_series"), lit(false));
    Column inEvents = eventsCoverage.contains(col("gw_code"), col("month_index"));
    joined = joined.withColumn("covered_ged_cm", inSeries)
        .withColumn("covered_ged_events", inEvents)
        .withColumn("ged_source", when(inSeries, lit(CountryMonthPanel.FROM_SERIES)).when(inEvents, lit(CountryMonthPanel.FROM_EVENTS)));
    for (String c : gedCountColumns()) {
      joined = joined.withColumn(c, when(inSeries, col("_series_" + c))
          .when(inEvents, coalesce(col(c), lit(0))).cast("int"));
    }
    for (String c : gedCountColumns()) {
      joined = joined.drop("_series_" + c);
    }
    return joined.drop("_in_series");
  }

  /** The series (dataset {@code ucdp_ged_cm}) in the panel's column names, one row per G-W country-month. */
  static Dataset<Row> seriesMonthly(Dataset<Row> series) {
    List<Column> aggs = new ArrayList<>();
    for (String[] t : VIOLENCE_TYPES) {
      String type = t[1].substring("ged_".length());
      aggs.add(sum(col(type + "_events")).cast("int").as(t[1] + "_events"));
      aggs.add(sum(col(type + "_deaths")).cast("int").as(t[1] + "_deaths"));
    }
    return series
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()).and(col("os_deaths").isNotNull()))
        .groupBy(col("gw_code").cast("int").as("gw_code"), col("month_index").cast("int").as("month_index"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  static Dataset<Row> emptyGedMonthly(Dataset<Row> anySession) {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("gw_code", DataTypes.IntegerType).add("month_index", DataTypes.IntegerType);
    for (String c : gedCountColumns()) {
      schema = schema.add(c, DataTypes.IntegerType);
    }
    schema = schema.add("ged_adm1_set", DataTypes.createArrayType(DataTypes.StringType));
    return anySession.sparkSession().createDataFrame(List.<Row>of(), schema);
  }

  /** Events and best-estimate fatalities per country, month and violence type. */
  static Dataset<Row> gedMonthly(Dataset<Row> events) {
    events = oneRowPerEvent(events);
    List<Column> aggs = new ArrayList<>();
    for (String[] t : VIOLENCE_TYPES) {
      Column isType = col("type_of_violence").cast("int").equalTo(Integer.parseInt(t[0]));
      aggs.add(sum(when(isType, 1).otherwise(0)).cast("int").as(t[1] + "_events"));
      aggs.add(sum(when(isType, coalesce(col("best").cast("int"), lit(0))).otherwise(0)).cast("int").as(t[1] + "_deaths"));
    }
    aggs.add(collect_set(col("adm_1")).as("ged_adm1_set"));
    return events
        .withColumn("month_index", Months.index(col("date_end")))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /** The coup's date from year, month and day when the dataset has no {@code coup_date}. */
  static Dataset<Row> withCoupDate(Dataset<Row> coups) {
    return Outcomes.hasColumn(coups, "coup_date") ? coups
        : coups.withColumn("coup_date", make_date(col("year").cast("int"), col("month").cast("int"),
            coalesce(col("day").cast("int"), lit(1))));
  }

  /** GED files overlap (a country extract and a global sample of one version): count each id once. */
  static Dataset<Row> oneRowPerEvent(Dataset<Row> events) {
    return Outcomes.hasColumn(events, "id") ? events.dropDuplicates("id") : events;
  }

  /** ACLED events coded as civilian targeting (the {@code civilian_targeting} field is set). */
  static Dataset<Row> acledMonthly(Dataset<Row> events) {
    Column civilian = col("civilian_targeting").isNotNull().and(col("civilian_targeting").notEqual(""));
    return events
        .withColumn("month_index", Months.index(col("event_date")))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index")
        .agg(sum(when(civilian, 1).otherwise(0)).cast("int").as("acled_civ_events"),
            sum(when(civilian, coalesce(col("fatalities").cast("int"), lit(0))).otherwise(0)).cast("int")
                .as("acled_civ_deaths"));
  }
}
