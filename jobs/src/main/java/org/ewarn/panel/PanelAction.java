package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.max;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.RiskMarts;
import org.ewarn.io.SparkMarts;
import org.ewarn.run.Futures;
import org.ewarn.run.SparkProfile;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;

/**
 * {@code ewarn panel}: reads the latest ingested datasets, builds the country-year and
 * country-month panels and publishes them as {@code panel_country_year} and
 * {@code panel_country_month}. The same inputs and settings give the same vintage label, so a rerun
 * on unchanged data publishes nothing. The command and the nightly's panel stage build the
 * {@link Config} and call {@link #execute()}.
 */
public final class PanelAction {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PanelAction.class);
  public static final String COUNTRY_YEAR = "panel_country_year";
  public static final String COUNTRY_MONTH = "panel_country_month";

  /**
   * Everything one panel run needs, bound from the configuration at the edge.
   *
   * @param modelsRoot the forecast's models folder and {@code outputRoot} the output folder: the
   *     panel writes in neither, but publishes through the same {@link RiskMarts} as the forecast,
   *     which opens both
   * @param configHash hash of the {@code panel} section, for the manifests
   */
  public record Config(PanelConfig panel, String warehouseRoot, String modelsRoot, String outputRoot,
      SparkProfile sparkProfile, String runId, String codeVersion, String configHash) {}

  /** What the panel published (or found already published) and its row counts. */
  public record Result(String vintage, Partition countryYear, Partition countryMonth,
      long countryYearRows, long countryMonthRows, boolean alreadyPublished) {}

  private final Config config;

  public PanelAction(Config config) {
    this.config = config;
  }

  /** Under the warehouse's run lock, on the run's Spark session. */
  public Result execute() {
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("panel", config.runId(), config.codeVersion(), config.configHash(),
        Instant.now(), List.of());
    return RiskMarts.underLock("panel", config.warehouseRoot(), config.modelsRoot(), config.outputRoot(),
        config.sparkProfile(), (spark, marts) -> execute(spark, marts, config.panel(), run));
  }

  private static Result execute(SparkSession spark, RiskMarts marts, PanelConfig cfg, RiskMarts.RunInfo run) {
    Warehouse wh = marts.warehouse();
    List<String> upstream = new ArrayList<>();
    Dataset<Row> predictors = read(spark, wh, "ewp_predictors", upstream).cache();
    Dataset<Row> ged = events(spark, wh, "ged_events", "id", upstream);
    Dataset<Row> coups = read(spark, wh, "coups", upstream);
    Dataset<Row> protests = read(spark, wh, "protests", upstream);
    Dataset<Row> gwStates = read(spark, wh, "gw_states", upstream);
    Dataset<Row> episodes = read(spark, wh, "ewp_episodes", upstream);
    Dataset<Row> pitf = read(spark, wh, "pitf_genocide_politicide", upstream);
    Dataset<Row> acled = wh.latest("acled_events").isPresent()
        ? events(spark, wh, "acled_events", "event_id_cnty", upstream) : null;
    Dataset<Row> countries = optional(spark, wh, "countries", upstream);
    Dataset<Row> gedSeries = optional(spark, wh, "ucdp_ged_cm", upstream);
    Dataset<Row> organizedViolence = optional(spark, wh, "ucdp_ov_cy", upstream);

    int latestYear = ((Number) predictors.agg(max(col("year").cast("int"))).first().get(0)).intValue();
    String vintage = cfg.vintage().equals("auto")
        ? latestYear + "-" + shortHash(String.join(",", upstream) + "|" + run.configHash())
        : cfg.vintage();
    Optional<Partition> doneYear = wh.partition(COUNTRY_YEAR, vintage);
    Optional<Partition> doneMonth = wh.partition(COUNTRY_MONTH, vintage);
    if (doneYear.isPresent() && doneMonth.isPresent()) {
      return new Result(vintage, doneYear.get(), doneMonth.get(), doneYear.get().manifest().count("rows"),
          doneMonth.get().manifest().count("rows"), true);
    }
    RiskMarts.RunInfo withUpstream = new RiskMarts.RunInfo(run.stage(), run.runId(), run.codeVersion(),
        run.configHash(), run.started(), upstream);

    // The two panels share only cached inputs: built and published side by side, the many small
    // one-task Spark jobs and the driver's planning of one panel use the core the other leaves idle.
    ExecutorService second = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "panel-country-year");
      t.setDaemon(true);
      return t;
    });
    Published year;
    Published month;
    try {
      Future<Published> countryYear = second.submit(() -> doneYear.isPresent() ? Published.of(doneYear.get())
          : publishCountryYear(marts, cfg, withUpstream, latestYear, vintage,
              new CountryYearPanel.Inputs(predictors, ged, coups, protests, pitf, episodes, organizedViolence)));
      month = doneMonth.isPresent() ? Published.of(doneMonth.get())
          : publishCountryMonth(spark, marts, cfg, withUpstream, latestYear, vintage, new CountryMonthPanel.Inputs(
              ged, acled, coups, protests, gwStates, episodes, pitf, latestYear, gedSeries,
              // from each vintage as published, before one row per event id hides which source had it
              ged == null ? null : EventCoverage.ofVintages(spark, wh, "ged_events")), ged, gedSeries, countries);
      year = Futures.join(countryYear, "building the country-year panel");
    } finally {
      second.shutdownNow();
    }
    predictors.unpersist();
    if (ged != null) {
      ged.unpersist();
    }
    if (acled != null) {
      acled.unpersist();
    }
    return new Result(vintage, year.partition(), month.partition(), year.rows(), month.rows(), false);
  }

  private record Published(Partition partition, long rows) {
    static Published of(Partition p) {
      return new Published(p, p.manifest().count("rows"));
    }
  }

  private static Published publishCountryYear(RiskMarts marts, PanelConfig cfg, RiskMarts.RunInfo run, int latestYear,
      String vintage, CountryYearPanel.Inputs in) {
    Dataset<Row> countryYear = CountryYearPanel.build(in, cfg, latestYear).cache();
    long rows = countryYear.count();
    Partition p = marts.publish(COUNTRY_YEAR, vintage, countryYear.coalesce(1), run, Map.of("rows", rows),
        properties(cfg, latestYear));
    countryYear.unpersist();
    return new Published(p, rows);
  }

  private static Published publishCountryMonth(SparkSession spark, RiskMarts marts, PanelConfig cfg,
      RiskMarts.RunInfo run, int latestYear, String vintage, CountryMonthPanel.Inputs in, Dataset<Row> ged,
      Dataset<Row> gedSeries, Dataset<Row> countries) {
    Dataset<Row> countryMonth = CountryMonthPanel.build(in, cfg);
    if (countries != null) {
      Dataset<Row> names = countries.where(col("gw_code").isNotNull())
          .groupBy(col("gw_code").cast("int").as("gw_code")).agg(first(col("country"), true).as("country"));
      countryMonth = countryMonth.join(names, new String[] {"gw_code"}, "left");
    }
    countryMonth = countryMonth.cache();
    long rows = countryMonth.count();
    Map<String, String> props = new LinkedHashMap<>(properties(cfg, latestYear));
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("rows", rows);
    props.putAll(MonthlyPanelFacts.of(countryMonth, cfg, counts));
    for (SeriesAgreement.Result a : SeriesAgreement.of(ged, gedSeries, cfg.agreement())) {
      String key = "agreement.os_deaths.gw" + a.check().gwCode() + "." + a.check().from() + ".." + a.check().to();
      props.put(key, a.describe());
      if (a.passed()) {
        LOG.info("GED events vs series, {}: {}", key, a.describe());
      } else {
        LOG.warn("GED events vs series disagree, {}: {} (tolerance: panel.country-month.agreement)", key, a.describe());
      }
    }
    Partition p = marts.publish(COUNTRY_MONTH, vintage, countryMonth.coalesce(1), run, counts, props);
    countryMonth.unpersist();
    return new Published(p, rows);
  }

  private static Map<String, String> properties(PanelConfig cfg, int latestYear) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("latest_predictor_year", Integer.toString(latestYear));
    p.put("outcome_horizon_years", Integer.toString(cfg.horizonYears()));
    p.put("outcome_horizon_months", Integer.toString(cfg.horizonMonths()));
    p.put("windows_months", cfg.windows().toString());
    p.put("lookback_months", Integer.toString(cfg.lookbackMonths()));
    p.put("event_dating", "GED events by date_end, ACLED by event_date, coups by coup_date, protests by end_date");
    return p;
  }

  private static Dataset<Row> read(SparkSession spark, Warehouse wh, String dataset, List<String> upstream) {
    Partition p = wh.require(dataset);
    upstream.add(dataset + "/vintage=" + p.vintage());
    return SparkMarts.read(spark, p);
  }

  /**
   * Event datasets are published one vintage per release or extract (GED 23.1, a GED 19.1 Syria
   * extract, Candidate months…): the panel needs all of them, one row per event id, the latest
   * vintage winning.
   */
  static Dataset<Row> events(SparkSession spark, Warehouse wh, String dataset, String id, List<String> upstream) {
    wh.partitions(dataset).forEach(p -> upstream.add(dataset + "/vintage=" + p.vintage()));
    Dataset<Row> all = SparkMarts.readAllVintages(spark, wh, dataset);
    Dataset<Row> rows = java.util.Arrays.asList(all.columns()).contains(id)
        ? org.ewarn.ingest.EventVintages.latestById(all, id) : all;
    // cached: both panels, the event coverage and the agreement checks read the events, and each
    // read would otherwise rank every vintage's rows by id again
    rows = rows.cache();
    return rows.isEmpty() ? null : rows;
  }

  private static Dataset<Row> optional(SparkSession spark, Warehouse wh, String dataset, List<String> upstream) {
    Optional<Partition> p = wh.latest(dataset);
    if (p.isEmpty()) {
      return null;
    }
    upstream.add(dataset + "/vintage=" + p.get().vintage());
    Dataset<Row> rows = SparkMarts.read(spark, p.get());
    return rows.isEmpty() ? null : rows;
  }

  static String shortHash(String text) {
    return Checksums.sha256(text).substring(0, 8);
  }
}
