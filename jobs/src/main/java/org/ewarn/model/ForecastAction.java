package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.RiskMarts;
import org.ewarn.io.SparkMarts;
import org.ewarn.run.SparkProfile;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;

/**
 * {@code ewarn forecast}: the EWP production forecast and its history. For the edition year E it
 * trains every enabled model on the country-years ≤ E − 2 with the two-year outcome and scores
 * year E (risk of a new onset in E+1 or E+2), plus the one-year model (≤ E − 1, onset in E+1).
 * Missing past editions of {@code risk_trajectories} are back-filled the same way, each trained
 * only on the rows its own year allowed; published editions are never recomputed. The command and
 * the nightly's forecast stage build the {@link Config} and call {@link #execute()}.
 */
public final class ForecastAction {
  public static final String FORECASTS = "risk_forecasts";
  public static final String TRAJECTORIES = "risk_trajectories";
  public static final String DRIVERS = "risk_drivers";
  public static final String PROFILES = "risk_factor_profiles";
  static final String PANEL = "panel_country_year";

  /** Columns of risk_forecasts and risk_trajectories, in order. */
  public static final List<String> RISK_COLUMNS = List.of("model", "edition", "country", "ccode", "gw_code",
      "iso3", "year", "horizon", "risk", "rank", "percentile", "risk_previous_edition", "risk_change",
      "highest_risk", "risk_increased", "consistently_high");

  /**
   * Everything one forecast needs, bound from the configuration at the edge.
   *
   * @param models the enabled models (resolved through the model registry)
   * @param factors the UN Framework risk factors of the profiles
   * @param configHash hash of the {@code forecast}, {@code models} and {@code un-framework}
   *     sections, for the manifests
   */
  public record Config(ForecastConfig forecast, List<RiskModel> models, List<RiskFactorProfiles.Factor> factors,
      String warehouseRoot, String modelsRoot, String outputRoot, SparkProfile sparkProfile, String runId,
      String codeVersion, String configHash) {
    public Config {
      models = List.copyOf(models);
      factors = List.copyOf(factors);
    }
  }

  private final Config config;

  public ForecastAction(Config config) {
    this.config = config;
  }

  /** What the forecast published (or found already published): marts by name, the CSV, its top rows, counts. */
  public record Result(
      String edition,
      Map<String, String> marts,
      String csv,
      List<Row> top,
      List<String> editionsComputed,
      boolean alreadyPublished,
      Map<String, Long> counts) {
    public Result {
      marts = Collections.unmodifiableMap(new LinkedHashMap<>(marts));
      top = List.copyOf(top);
      editionsComputed = List.copyOf(editionsComputed);
      counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }
  }

  /** Under the warehouse's run lock, on the run's Spark session. */
  public Result execute() {
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("forecast", config.runId(), config.codeVersion(),
        config.configHash(), Instant.now(), List.of());
    return RiskMarts.underLock("forecast", config.warehouseRoot(), config.modelsRoot(), config.outputRoot(),
        config.sparkProfile(), (spark, marts) -> execute(spark, marts, config.forecast(), config.models(),
            config.factors(), run));
  }

  /** On a session and marts the caller opened, without the lock (tests). */
  static Result execute(SparkSession spark, RiskMarts marts, ForecastConfig cfg, List<RiskModel> models,
      List<RiskFactorProfiles.Factor> factors, RiskMarts.RunInfo run) {
    Warehouse wh = marts.warehouse();
    Partition panelPart = wh.require(PANEL);
    List<String> upstream = new ArrayList<>();
    upstream.add(PANEL + "/vintage=" + panelPart.vintage());
    upstream.addAll(panelPart.manifest().upstream());
    RiskMarts.RunInfo info = new RiskMarts.RunInfo(run.stage(), run.runId(), run.codeVersion(), run.configHash(),
        run.started(), upstream);
    Dataset<Row> read = SparkMarts.read(spark, panelPart);
    requireColumns(read.columns(), panelPart, cfg);
    Dataset<Row> panel = withKeys(read).cache();
    int latest = ((Number) panel.agg(max(col("year"))).first().get(0)).intValue();
    int editionYear = cfg.edition() == null ? latest : cfg.edition();
    String edition = Integer.toString(editionYear);

    Map<String, String> paths = new LinkedHashMap<>();
    Optional<Partition> published = wh.partition(FORECASTS, edition);
    if (published.isPresent()) {
      Dataset<Row> forecasts = SparkMarts.read(spark, published.get());
      paths.put(FORECASTS, published.get().location());
      for (String m : List.of(TRAJECTORIES, DRIVERS, PROFILES)) {
        wh.partition(m, edition).ifPresent(p -> paths.put(m, p.location()));
      }
      String csv = writeCsv(marts, cfg, edition, forecasts);
      Result r = new Result(edition, paths, csv, top(forecasts, cfg), List.of(), true,
          Map.of("forecast_rows", published.get().manifest().count("rows")));
      panel.unpersist();
      return r;
    }

    PrimaryModel.Choice primary = PrimaryModel.choose(cfg.primary(), PrimaryModel.latest(wh, cfg.primary().recallK()));
    System.err.println("ewarn forecast: primary model " + primary.model() + " (" + primary.evidence() + ")");
    cfg = cfg.withPrimaryModel(primary.model());

    Set<Integer> done = new TreeSet<>();
    wh.partitions(TRAJECTORIES).forEach(p -> done.add(Integer.parseInt(p.vintage())));
    List<Integer> toCompute = new ArrayList<>();
    for (int y = Math.min(cfg.firstEdition(), editionYear); y <= editionYear; y++) {
      if (!done.contains(y) && panel.where(col("year").equalTo(y)).limit(1).count() > 0) {
        toCompute.add(y);
      }
    }

    String dataVintages = String.join(";", upstream);
    Map<String, Long> counts = new LinkedHashMap<>();
    // Every training window of this run (each missing edition's two-year models, the edition's own
    // two-year models when its trajectory was published earlier, the one-year models) is fitted in
    // one concurrent pass; each window's models are the ones it would get fitted alone.
    ModelInputs twoYear = new ModelInputs(cfg.features(), cfg.twoYearOutcome(), cfg.seed());
    List<ConcurrentFits.Window> windows = new ArrayList<>();
    for (int y : toCompute) {
      windows.add(new ConcurrentFits.Window("edition " + y + " " + cfg.twoYearOutcome() + " (years <= "
          + (y - cfg.twoYearGap()) + ")", panel.where(col("year").leq(y - cfg.twoYearGap())), twoYear));
    }
    boolean editionComputed = toCompute.contains(editionYear);
    if (!editionComputed) {
      // the edition's trajectory was published by an earlier run: refit for drivers and storage
      windows.add(new ConcurrentFits.Window("edition " + editionYear + " " + cfg.twoYearOutcome(),
          panel.where(col("year").leq(editionYear - cfg.twoYearGap())), twoYear));
    }
    if (cfg.oneYear()) {
      windows.add(new ConcurrentFits.Window("edition " + editionYear + " " + cfg.oneYearOutcome() + " (years <= "
          + (editionYear - cfg.oneYearGap()) + ")", panel.where(col("year").leq(editionYear - cfg.oneYearGap())),
          new ModelInputs(cfg.features(), cfg.oneYearOutcome(), cfg.seed())));
    }
    List<Map<String, FittedRiskModel>> fits = new ConcurrentFits(ConcurrentFits.threads(spark), System.err).fit(models, windows);

    // the scored years' rows on the driver (a few hundred each): scored there by every model
    Map<Integer, List<Row>> rowsByYear = ForecastScoring.rowsByYear(panel, toCompute, editionYear);
    Dataset<Row> newScores = null;
    Map<String, FittedRiskModel> twoYearAtEdition = editionComputed ? Map.of() : fits.get(toCompute.size());
    for (int i = 0; i < toCompute.size(); i++) {
      int y = toCompute.get(i);
      Map<String, FittedRiskModel> fitted = fits.get(i);
      Dataset<Row> scored = ForecastScoring.scored(spark, fitted, rowsByYear.get(y),
          panel.where(col("year").equalTo(y)), Integer.toString(y), cfg.twoYearGap());
      newScores = newScores == null ? scored : newScores.unionByName(scored);
      if (y == editionYear) {
        twoYearAtEdition = fitted;
      }
    }
    saveAll(marts, twoYearAtEdition, edition, cfg.twoYearGap(), info, dataVintages);
    System.err.println("ewarn forecast: scoring and publishing " + toCompute.size() + " trajectory editions");

    // ranks per edition, then changes and flags along each country's path of editions
    Dataset<Row> history = null;
    for (Partition p : wh.partitions(TRAJECTORIES)) {
      Dataset<Row> old = SparkMarts.read(spark, p).select("model", "edition", "country", "ccode", "gw_code", "iso3", "year",
          "horizon", "risk", "rank", "percentile");
      history = history == null ? old : history.unionByName(old);
    }
    if (newScores != null) {
      Dataset<Row> ranked = RiskTables.ranked(newScores);
      Dataset<Row> all = history == null ? ranked : history.unionByName(ranked);
      Dataset<Row> flagged = RiskTables.flagged(all, cfg.flags()).select(columns(RISK_COLUMNS)).cache();
      for (int y : toCompute) {
        Dataset<Row> one = flagged.where(col("edition").equalTo(Integer.toString(y))).coalesce(1);
        long rows = one.count();
        Partition p = marts.publish(TRAJECTORIES, Integer.toString(y), one, info, Map.of("rows", rows),
            Map.of("horizon_years", Integer.toString(cfg.twoYearGap()), "outcome", cfg.twoYearOutcome(),
                "trained_on_years_up_to", Integer.toString(y - cfg.twoYearGap())));
        counts.put("trajectory_rows_" + y, rows);
        if (y == editionYear) {
          paths.put(TRAJECTORIES, p.location());
        }
      }
      flagged.unpersist();
    }
    wh.partition(TRAJECTORIES, edition).ifPresent(p -> paths.put(TRAJECTORIES, p.location()));
    Dataset<Row> forecasts = SparkMarts.read(spark, wh.partition(TRAJECTORIES, edition).orElseThrow());

    if (cfg.oneYear()) {
      Map<String, FittedRiskModel> oneYear = fits.get(fits.size() - 1);
      saveAll(marts, oneYear, edition, cfg.oneYearGap(), info, dataVintages);
      Dataset<Row> oneYearRows = RiskTables.flagged(RiskTables.ranked(
          ForecastScoring.scored(spark, oneYear, rowsByYear.get(editionYear),
              panel.where(col("year").equalTo(editionYear)), edition, cfg.oneYearGap())), cfg.flags())
          .select(columns(RISK_COLUMNS));
      forecasts = forecasts.unionByName(oneYearRows);
    }
    PrimaryIntervals intervals = PrimaryIntervals.compute(spark, twoYearAtEdition.get(cfg.primaryModel()),
        panel.where(col("year").leq(editionYear - cfg.twoYearGap())), panel.where(col("year").equalTo(editionYear)), cfg);
    forecasts = forecasts.join(intervals.rows(),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of("model", "horizon", "ccode")).toSeq(), "left");
    forecasts = forecasts.orderBy(col("model"), col("horizon").desc(), col("rank"), col("country")).coalesce(1).cache();
    long forecastRows = forecasts.count();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("edition", edition);
    props.put("models", String.join(",", models.stream().map(RiskModel::id).toList()));
    props.put("two_year", cfg.twoYearOutcome() + ", trained on years <= " + (editionYear - cfg.twoYearGap()));
    if (cfg.oneYear()) {
      props.put("one_year", cfg.oneYearOutcome() + ", trained on years <= " + (editionYear - cfg.oneYearGap()));
    }
    props.put("primary_model", cfg.primaryModel());
    props.put("primary_model.rule", primary.rule());
    props.put("primary_model.evidence", primary.evidence());
    props.put("primary_model.from_backtest", Boolean.toString(primary.fromBacktest()));
    props.putAll(MethodProperties.of(twoYearAtEdition, cfg));
    props.put("interval.method", intervals.method());
    props.put("interval.level", Double.toString(cfg.intervalLevel()));
    props.put("interval.replicates", Integer.toString(intervals.replicates()));
    System.err.println("ewarn forecast: drivers and risk-factor profiles of edition " + edition);
    Dataset<Row> editionRows = panel.where(col("year").equalTo(editionYear)).cache();
    Dataset<Row> drivers = ForecastScoring.drivers(spark, twoYearAtEdition,
        panel.where(col("year").leq(editionYear - cfg.twoYearGap())), editionRows, rowsByYear.get(editionYear), cfg,
        edition).coalesce(1).cache();
    Dataset<Row> profiles = RiskFactorProfiles.profiles(editionRows, factors, List.of("ccode", "gw_code", "iso3", "country"))
        .withColumn("edition", lit(edition)).coalesce(1).cache();
    // risk_forecasts goes last: it marks the edition done, and a restart reuses a published edition
    // as it is. A run stopped before it left at most the drivers or the profiles, which the restart
    // finds and keeps (same inputs and seed, same rows); before, a kill between them and the
    // forecasts lost the profiles for good (kill harness, seed 20261204).
    Partition driversPart = wh.partition(DRIVERS, edition).orElseGet(() -> marts.publish(DRIVERS, edition, drivers,
        info, Map.of("rows", drivers.count()),
        Map.of("reference", "mean of the training rows (numeric), mode (0/1 predictors)")));
    Partition profilesPart = wh.partition(PROFILES, edition).orElseGet(() -> marts.publish(PROFILES, edition,
        profiles, info, Map.of("rows", profiles.count()), Map.of("crosswalk", "conf/un-framework.conf")));
    paths.put(FORECASTS, marts.publish(FORECASTS, edition, forecasts, info, Map.of("rows", forecastRows), props).location());
    counts.put("forecast_rows", forecastRows);
    paths.put(DRIVERS, driversPart.location());
    counts.put("driver_rows", driversPart.manifest().count("rows"));
    paths.put(PROFILES, profilesPart.location());
    counts.put("profile_rows", profilesPart.manifest().count("rows"));

    String csv = writeCsv(marts, cfg, edition, forecasts);
    Result r = new Result(edition, paths, csv, top(forecasts, cfg),
        toCompute.stream().map(String::valueOf).toList(), false, counts);
    forecasts.unpersist();
    drivers.unpersist();
    profiles.unpersist();
    editionRows.unpersist();
    panel.unpersist();
    return r;
  }

  /** A mart without a column the configuration names is a configuration error naming both, not a Spark analysis error. */
  static void requireColumns(String[] columns, Partition part, ForecastConfig cfg) {
    java.util.Set<String> have = new java.util.HashSet<>(Arrays.asList(columns));
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>(List.of("year", "ccode", cfg.twoYearOutcome()));
    if (cfg.oneYear()) {
      wanted.add(cfg.oneYearOutcome());
    }
    wanted.addAll(cfg.features());
    List<String> missing = wanted.stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw org.ewarn.run.StageFailure.config("mart " + part.dataset() + "/vintage=" + part.vintage()
          + " has no column(s) " + missing + " that models.features or the forecast outcomes name;"
          + " fix the configuration or re-run ewarn panel");
    }
  }

  /** The panel with the identifying columns every output carries (iso3 may be absent upstream). */
  static Dataset<Row> withKeys(Dataset<Row> panel) {
    List<String> cols = Arrays.asList(panel.columns());
    Dataset<Row> out = panel.withColumn("year", col("year").cast("int")).withColumn("ccode", col("ccode").cast("int"));
    if (!cols.contains("iso3")) {
      out = out.withColumn("iso3", lit(null).cast("string"));
    }
    if (!cols.contains("gw_code")) {
      out = out.withColumn("gw_code", lit(null).cast("int"));
    }
    if (!cols.contains("country")) {
      out = out.withColumn("country", col("ewp_name"));
    }
    return out;
  }

  private static void saveAll(RiskMarts marts, Map<String, FittedRiskModel> fitted, String edition, int horizon,
      RiskMarts.RunInfo info, String dataVintages) {
    for (FittedRiskModel f : fitted.values()) {
      Map<String, String> extra = Map.of(
          "edition", edition, "horizon_years", Integer.toString(horizon), "config_hash", info.configHash(),
          "data_vintages", dataVintages, "code_version", info.codeVersion(), "run_id", info.runId());
      marts.saveModel(edition, f.modelId(), horizon, dir -> StoredModel.save(f, dir, extra));
    }
  }

  private static List<Row> top(Dataset<Row> forecasts, ForecastConfig cfg) {
    Dataset<Row> horizon = forecasts.where(col("horizon").equalTo(cfg.twoYearGap()));
    List<Row> models = horizon.select("model").distinct().collectAsList();
    String model = models.stream().map(r -> r.getString(0)).anyMatch(cfg.primaryModel()::equals)
        ? cfg.primaryModel()
        : models.isEmpty() ? cfg.primaryModel() : models.get(0).getString(0);
    return horizon.where(col("model").equalTo(model).and(col("rank").leq(cfg.flags().topN())))
        .orderBy("rank", "country").collectAsList();
  }

  private static String writeCsv(RiskMarts marts, ForecastConfig cfg, String edition, Dataset<Row> forecasts) {
    List<Row> rows = forecasts.orderBy(col("model"), col("horizon").desc(), col("rank"), col("country"))
        .select(columns(RISK_COLUMNS)).collectAsList();
    return marts.writeCsv(cfg.csvDir(), "forecast-" + edition + ".csv", RISK_COLUMNS, rows);
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(n -> col(n)).toArray(Column[]::new);
  }
}
