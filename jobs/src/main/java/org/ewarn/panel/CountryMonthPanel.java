package org.ewarn.panel;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The country-month panel (key {@code gw_code}, {@code month}): event counts and fatalities by UCDP
 * violence type and ACLED civilian targeting, rolling sums, trends, spatial spread, recent coups and
 * repression, and onset outcomes.
 *
 * <p>An event belongs to the month of its {@code date_end}: only then is it complete, so a row never
 * counts an event still going on after its month (the leakage rule). Rows exist for every month a
 * country is a member of the Gleditsch-Ward state system; inside a source's coverage a month
 * without events is zero, outside it null. Key: gw_code, month_index (year × 12 + month − 1); also
 * year, month (1–12) and month_start (date).
 */
public final class CountryMonthPanel {
  private CountryMonthPanel() {}

  /**
   * Warehouse datasets with the columns of jobs/MARTS.md. {@code acledEvents} may be null; so may
   * {@code gedEvents} or {@code gedSeries} (the {@code ucdp_ged_cm} country-month series), not both.
   * {@code gedCoverage}: where the events are complete (from their sources' {@code coverage}); null
   * means every country over the events' span, as for one full GED release.
   */
  public record Inputs(
      Dataset<Row> gedEvents,
      Dataset<Row> acledEvents,
      Dataset<Row> coups,
      Dataset<Row> protests,
      Dataset<Row> gwStates,
      Dataset<Row> episodes,
      Dataset<Row> pitfGenocide,
      int episodesLastYear,
      Dataset<Row> gedSeries,
      EventCoverage gedCoverage) {
    public Inputs(Dataset<Row> gedEvents, Dataset<Row> acledEvents, Dataset<Row> coups, Dataset<Row> protests,
        Dataset<Row> gwStates, Dataset<Row> episodes, Dataset<Row> pitfGenocide, int episodesLastYear,
        Dataset<Row> gedSeries) {
      this(gedEvents, acledEvents, coups, protests, gwStates, episodes, pitfGenocide, episodesLastYear, gedSeries, null);
    }

    public Inputs(Dataset<Row> gedEvents, Dataset<Row> acledEvents, Dataset<Row> coups, Dataset<Row> protests,
        Dataset<Row> gwStates, Dataset<Row> episodes, Dataset<Row> pitfGenocide, int episodesLastYear) {
      this(gedEvents, acledEvents, coups, protests, gwStates, episodes, pitfGenocide, episodesLastYear, null);
    }
  }

  /** Values of {@code ged_source}. */
  public static final String FROM_SERIES = "ged_cm_views";
  public static final String FROM_EVENTS = "ged_events";

  /** The onset-month outcome columns (1 in the onset month; lead-h targets are derived from them). */
  public static final List<String> ONSET_MONTH_COLUMNS =
      List.of("os_escalation_onset", "ewp_mk_onset_month", "pitf_gp_onset_month");

  /** GED type_of_violence codes and the prefixes of their columns. */
  static final List<String[]> VIOLENCE_TYPES =
      List.of(new String[] {"1", "ged_sb"}, new String[] {"2", "ged_ns"}, new String[] {"3", "ged_os"});

  public static Dataset<Row> build(Inputs in, PanelConfig cfg) {
    if (in.gedEvents() == null && in.gedSeries() == null) {
      throw new IllegalArgumentException("the country-month panel needs GED events or the GED country-month series");
    }
    Dataset<Row> ged = (in.gedEvents() == null ? emptyGedMonthly(in.gwStates()) : gedMonthly(in.gedEvents())).cache();
    Dataset<Row> series = in.gedSeries() == null ? null : seriesMonthly(in.gedSeries()).cache();
    Dataset<Row> acled = in.acledEvents() == null ? null : acledMonthly(in.acledEvents()).cache();
    Dataset<Row> coupList = withCoupDate(in.coups());
    Dataset<Row> coups = coupList
        .select(col("gw_code"), Months.index(col("coup_date")).as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index").agg(count(lit(1)).cast(DataTypes.IntegerType).as("coup_attempts"));
    Dataset<Row> repression = in.protests()
        .where(col("killings").cast("int").equalTo(1).or(col("shootings").cast("int").equalTo(1)))
        .select(col("gw_code"),
            Months.index(coalesce(col("end_date"), col("start_date"))).as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .groupBy("gw_code", "month_index").agg(count(lit(1)).cast(DataTypes.IntegerType).as("protests_repressed"));

    EventCoverage gedCoverage = in.gedCoverage() != null ? in.gedCoverage()
        : in.gedEvents() == null ? EventCoverage.NONE : EventCoverage.of(in.gedEvents(), org.ewarn.ingest.IngestConfig.COMPLETE);
    Coverage acledCoverage = acled == null ? Coverage.NONE : Coverage.of(acled, "month_index");
    Coverage coupCoverage = Coverage.of(
        coupList.select(Months.index(col("coup_date")).as("m")), "m");
    Coverage protestCoverage = Coverage.of(
        in.protests().select(Months.index(coalesce(col("end_date"), col("start_date"))).as("m")), "m");

    YearMonth first = YearMonth.parse(cfg.firstMonth());
    Coverage seriesCoverage = series == null ? Coverage.NONE : Coverage.of(series, "month_index");
    YearMonth last = cfg.lastMonth().equals("auto")
        ? latestMonth(new Coverage(gedCoverage.last(), gedCoverage.last()), acledCoverage, seriesCoverage)
        : YearMonth.parse(cfg.lastMonth());
    Dataset<Row> panel = spine(in.gwStates(), first, last);

    panel = withGed(panel, ged, gedCoverage, series);
    panel = panel.withColumn("ged_adm1_set",
        when(gedCoverage.contains(col("gw_code"), col("month_index")), coalesce(col("ged_adm1_set"), expr("array()").cast("array<string>"))));
    if (acled != null) {
      panel = joinCounts(panel, acled, acledCoverage, List.of("acled_civ_events", "acled_civ_deaths"));
    } else {
      panel = panel.withColumn("acled_civ_events", lit(null).cast("int"))
          .withColumn("acled_civ_deaths", lit(null).cast("int"));
    }
    panel = joinCounts(panel, coups, coupCoverage, List.of("coup_attempts"));
    panel = joinCounts(panel, repression, protestCoverage, List.of("protests_repressed"));

    WindowSpec byMonth = Window.partitionBy("gw_code").orderBy("month_index");
    List<Column> rolling = new ArrayList<>();
    List<String> rolled = new ArrayList<>(gedCountColumns());
    rolled.addAll(List.of("acled_civ_events", "acled_civ_deaths"));
    for (int w : cfg.windows()) {
      WindowSpec current = byMonth.rangeBetween(-(w - 1), 0);
      WindowSpec previous = byMonth.rangeBetween(-(2L * w - 1), -w);
      for (String c : rolled) {
        rolling.add(sum(col(c)).over(current).as(c + "_" + w + "m"));
        rolling.add(sum(col(c)).over(current).minus(coalesce(sum(col(c)).over(previous), lit(0)))
            .as(c + "_trend_" + w + "m"));
      }
      rolling.add(when(gedCoverage.contains(col("gw_code"), col("month_index")),
              size(array_distinct(flatten(collect_list(col("ged_adm1_set")).over(current)))))
          .as("ged_adm1_units_" + w + "m"));
    }
    WindowSpec lookback = byMonth.rangeBetween(-(cfg.lookbackMonths() - 1), 0);
    rolling.add(sum(col("coup_attempts")).over(lookback).as("coup_attempts_" + cfg.lookbackMonths() + "m"));
    rolling.add(sum(col("protests_repressed")).over(lookback).as("protests_repressed_" + cfg.lookbackMonths() + "m"));

    List<Column> all = new ArrayList<>();
    all.add(col("*"));
    all.addAll(rolling);
    panel = panel.select(all.toArray(Column[]::new))
        .withColumn("ged_adm1_units", size(col("ged_adm1_set")).cast("int"))
        .withColumn("ged_adm1_units",
            when(gedCoverage.contains(col("gw_code"), col("month_index")), col("ged_adm1_units")))
        .drop("ged_adm1_set")
        // the outcomes join the panel to its own keys and group it by year: without the cache
        // each of those reads re-ran the spine, the five source joins and the rolling windows
        .cache();

    panel = withOutcomes(panel, in, cfg.horizonMonths());
    panel = withOnsetMonths(panel, in, cfg.escalation());
    ged.unpersist();
    if (series != null) {
      series.unpersist();
    }
    if (acled != null) {
      acled.unpersist();
    }
    return panel.orderBy("gw_code", "month_index");
  }

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
        .withColumn("ged_source", when(inSeries, lit(FROM_SERIES)).when(inEvents, lit(FROM_EVENTS)));
    for (String c : gedCountColumns()) {
      joined = joined.withColumn(c, when(inSeries, col("_series_" + c))
          .when(inEvents, coalesce(col(c), lit(0))).cast("int"));
    }
    for (String c : gedCountColumns()) {
      joined = joined.drop("_series_" + c);
    }
    return joined.drop("_in_series");
  }

  /** One agreement check between GED events and the series: one-sided deaths month by month. */
  public record AgreementResult(PanelConfig.Check check, int months, int agreeing, long seriesDeaths,
      long eventsDeaths, long maxDifference, boolean passed, String note) {
    /** The manifest line, e.g. {@code 12/12 months agree; one-sided deaths series 2690, events 2690, max |diff| 0; pass}. */
    public String describe() {
      if (note != null) {
        return note;
      }
      return agreeing + "/" + months + " months agree; one-sided deaths series " + seriesDeaths + ", events "
          + eventsDeaths + ", largest monthly difference " + maxDifference + "; " + (passed ? "pass" : "FAIL");
    }
  }

  /**
   * Compares one-sided deaths of the events and the series for each configured country-month span
   * where both are loaded. Months of the span the series has; events count zero in a month of their
   * coverage without an event. Small: a few dozen rows collected to the driver.
   */
  public static List<AgreementResult> agreement(Dataset<Row> gedEvents, Dataset<Row> gedSeries, PanelConfig.Agreement cfg) {
    List<AgreementResult> out = new ArrayList<>();
    if (gedEvents == null || gedSeries == null) {
      return out;
    }
    Dataset<Row> events = gedMonthly(gedEvents).select("gw_code", "month_index", "ged_os_deaths");
    Coverage eventsCoverage = Coverage.of(events, "month_index");
    Dataset<Row> series = seriesMonthly(gedSeries).select(col("gw_code"), col("month_index"),
        col("ged_os_deaths").as("series_os"));
    for (PanelConfig.Check c : cfg.checks()) {
      int from = Months.index(YearMonth.parse(c.from()));
      int to = Months.index(YearMonth.parse(c.to()));
      Column span = col("month_index").between(from, to).and(col("gw_code").equalTo(c.gwCode()));
      List<Row> rows = series.where(span)
          .join(events.where(span), new String[] {"gw_code", "month_index"}, "left")
          .where(eventsCoverage.contains(col("month_index")))
          .select(col("series_os"), coalesce(col("ged_os_deaths"), lit(0)).as("events_os"),
              col("ged_os_deaths").isNotNull().as("has_events"))
          .collectAsList();
      boolean anyEvents = rows.stream().anyMatch(r -> r.getBoolean(2));
      if (rows.isEmpty() || !anyEvents) {
        out.add(new AgreementResult(c, 0, 0, 0, 0, 0, true,
            "not compared: no GED events of G-W " + c.gwCode() + " " + c.from() + " ... " + c.to() + " loaded"));
        continue;
      }
      int agreeing = 0;
      long seriesTotal = 0;
      long eventsTotal = 0;
      long maxDiff = 0;
      for (Row r : rows) {
        long a = ((Number) r.get(0)).longValue();
        long b = ((Number) r.get(1)).longValue();
        long diff = Math.abs(a - b);
        seriesTotal += a;
        eventsTotal += b;
        maxDiff = Math.max(maxDiff, diff);
        if (diff <= cfg.toleranceDeaths() || diff <= cfg.toleranceShare() * Math.max(a, b)) {
          agreeing++;
        }
      }
      boolean passed = agreeing >= cfg.minAgreeingShare() * rows.size();
      out.add(new AgreementResult(c, rows.size(), agreeing, seriesTotal, eventsTotal, maxDiff, passed, null));
    }
    return out;
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

  private static Dataset<Row> emptyGedMonthly(Dataset<Row> anySession) {
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

  /** One row per member state and month: membership from the Gleditsch-Ward list. */
  static Dataset<Row> spine(Dataset<Row> gwStates, YearMonth first, YearMonth last) {
    Column from = greatest(trunc(col("start"), "month"), to_date(lit(first.atDay(1).toString())));
    Column to = least(trunc(col("end"), "month"), to_date(lit(last.atDay(1).toString())));
    return gwStates
        .where(from.leq(to))
        .select(col("gw_code").cast("int").as("gw_code"),
            explode(sequence(from, to, expr("interval 1 month"))).as("month_start"))
        .distinct()
        .withColumn("month_index", Months.index(col("month_start")))
        .withColumn("year", org.apache.spark.sql.functions.year(col("month_start")))
        .withColumn("month", org.apache.spark.sql.functions.month(col("month_start")));
  }

  private static Dataset<Row> joinCounts(
      Dataset<Row> panel, Dataset<Row> monthly, Coverage coverage, List<String> counts) {
    Dataset<Row> joined = panel.join(monthly, new String[] {"gw_code", "month_index"}, "left");
    for (String c : counts) {
      joined = joined.withColumn(c,
          when(coverage.contains(col("month_index")), coalesce(col(c), lit(0))).cast("int"));
    }
    return joined;
  }

  private static YearMonth latestMonth(Coverage... sources) {
    Integer last = null;
    for (Coverage c : sources) {
      if (c.last() != null && (last == null || c.last() > last)) {
        last = c.last();
      }
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "no GED series, GED or ACLED events to date the country-month panel; set panel.country-month.last-month");
    }
    return Months.of(last);
  }

  /**
   * The onset-month outcomes, each 1 in the month of an onset, 0 in other months where the onset
   * is known not to happen, null where it is unknown. They describe the row's own month (horizon
   * 0): a lead-h target is "onset in month t+h", and none of them is ever a predictor.
   *
   * <ul>
   *   <li>{@code os_escalation_onset}: at least T one-sided deaths in the month after at least Q
   *       consecutive known months below T; null while a month of the Q before is unknown (the
   *       first Q months of a source's coverage or of a new state), unless one of them is known to
   *       be at or above T (then 0).
   *   <li>{@code ewp_mk_onset_month}: an EWP mass-killing onset dated to the first month of its
   *       onset year with one-sided deaths in the country, else January ({@code ewp_mk_onset_dated_by}
   *       says which: {@code first_os_month}, {@code january_no_os_deaths}, {@code january_no_data});
   *       null after the last year the episode list covers.
   *   <li>{@code pitf_gp_onset_month}: the begin month of a PITF genocide/politicide (January when
   *       the list gives no month); null after the list's last year.
   * </ul>
   */
  static Dataset<Row> withOnsetMonths(Dataset<Row> panel, Inputs in, PanelConfig.Escalation esc) {
    int t = esc.threshold();
    int q = esc.quietMonths();
    WindowSpec before = Window.partitionBy("gw_code").orderBy("month_index").rangeBetween(-q, -1);
    Column os = col("ged_os_deaths");
    Column quiet = sum(when(os.lt(t), 1).otherwise(0)).over(before);
    Column hot = sum(when(os.geq(t), 1).otherwise(0)).over(before);
    panel = panel.withColumn("os_escalation_onset",
        when(os.isNull(), lit(null))
            .when(os.lt(t), lit(0))
            .when(hot.gt(0), lit(0))
            .when(quiet.equalTo(q), lit(1))
            .cast("int"));

    // EWP: one onset per country and year, dated by the panel's own one-sided deaths
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "gw_code")
        .select(col("key").as("gw_code"), col("onset_year")).distinct();
    Dataset<Row> byYear = panel.groupBy(col("gw_code"), col("year").as("onset_year"))
        .agg(org.apache.spark.sql.functions.min(when(os.gt(0), col("month_index"))).as("_first_os"),
            count(os).as("_known_months"));
    Dataset<Row> dated = onsets.join(byYear, new String[] {"gw_code", "onset_year"}, "left")
        .select(col("gw_code"),
            coalesce(col("_first_os"), col("onset_year").multiply(12)).cast("int").as("month_index"),
            when(col("_first_os").isNotNull(), lit("first_os_month"))
                .when(coalesce(col("_known_months"), lit(0L)).gt(0), lit("january_no_os_deaths"))
                .otherwise(lit("january_no_data")).as("ewp_mk_onset_dated_by"),
            lit(1).as("_ewp_onset"));
    panel = panel.join(dated, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("ewp_mk_onset_month",
            when(col("year").leq(in.episodesLastYear()), coalesce(col("_ewp_onset"), lit(0))).cast("int"))
        .drop("_ewp_onset");

    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("gw_code").cast("int").as("gw_code"),
            Months.index(make_date(col("yrbegin").cast("int"),
                coalesce(col("mobegin").cast("int"), lit(1)), lit(1))).cast("int").as("month_index"))
        .where(col("gw_code").isNotNull().and(col("month_index").isNotNull()))
        .distinct().withColumn("_pitf_onset", lit(1));
    Coverage pitfYears = Coverage.of(in.pitfGenocide().select(col("year").cast("int").as("y")), "y");
    Column pitfKnown = pitfYears.isEmpty() ? lit(false) : col("year").leq(pitfYears.last());
    return panel.join(pitf, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("pitf_gp_onset_month", when(pitfKnown, coalesce(col("_pitf_onset"), lit(0))).cast("int"))
        .drop("_pitf_onset");
  }

  /**
   * Onset outcomes {@code horizon} months ahead. EWP episodes are dated by year only, so an
   * episode counts when its start year lies after the row's year and no later than the year of the
   * horizon's last month; PITF episodes have a start month and count when it lies in (t, t+h].
   */
  static Dataset<Row> withOutcomes(Dataset<Row> panel, Inputs in, int horizon) {
    Dataset<Row> keys = panel.select("gw_code", "month_index")
        .withColumn("y0", expr("floor(month_index / 12)").cast("int"))
        .withColumn("y1", expr("floor((month_index + " + horizon + ") / 12)").cast("int"));
    Dataset<Row> onsets = Outcomes.ewpOnsets(in.episodes(), "gw_code");
    Dataset<Row> ewp = keys.join(onsets,
            keys.col("gw_code").equalTo(onsets.col("key"))
                .and(onsets.col("onset_year").gt(keys.col("y0")))
                .and(onsets.col("onset_year").leq(keys.col("y1"))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"), keys.col("y1"))
        .agg(max(coalesce(onsets.col("any_led"), lit(0))).as("mk_onset_any_next"),
            max(coalesce(onsets.col("state_led"), lit(0))).as("mk_onset_state_next"),
            max(coalesce(onsets.col("non_state_led"), lit(0))).as("mk_onset_nonstate_next"));
    Column known = col("y1").leq(in.episodesLastYear());
    for (String c : List.of("mk_onset_any_next", "mk_onset_state_next", "mk_onset_nonstate_next")) {
      ewp = ewp.withColumn(c, when(known, col(c)).cast("int"));
    }
    ewp = ewp.drop("y1");

    Dataset<Row> pitf = in.pitfGenocide()
        .select(col("gw_code").as("key"),
            Months.index(make_date(col("yrbegin").cast("int"),
                coalesce(col("mobegin").cast("int"), lit(1)), lit(1))).as("onset_month"),
            col("year").cast("int").as("pitf_year"))
        .where(col("key").isNotNull());
    Coverage pitfCoverage = Coverage.of(pitf.select((col("pitf_year").multiply(12).plus(11)).as("m")), "m");
    Dataset<Row> pitfOnsets = pitf.select("key", "onset_month").distinct();
    Dataset<Row> pitfRows = keys.join(pitfOnsets,
            keys.col("gw_code").equalTo(pitfOnsets.col("key"))
                .and(pitfOnsets.col("onset_month").gt(keys.col("month_index")))
                .and(pitfOnsets.col("onset_month").leq(keys.col("month_index").plus(horizon))), "left")
        .groupBy(keys.col("gw_code"), keys.col("month_index"))
        .agg(max(when(pitfOnsets.col("key").isNotNull(), 1).otherwise(0)).as("pitf_gp_onset_next"))
        .withColumn("pitf_gp_onset_next",
            when(pitfCoverage.contains(col("month_index").plus(horizon)), col("pitf_gp_onset_next")).cast("int"));

    return panel.join(ewp, new String[] {"gw_code", "month_index"}, "left")
        .join(pitfRows, new String[] {"gw_code", "month_index"}, "left")
        .withColumn("outcome_horizon_months", lit(horizon));
  }
}
