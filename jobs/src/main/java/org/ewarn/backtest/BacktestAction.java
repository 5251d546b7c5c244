package org.ewarn.backtest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.BacktestStore;
import org.ewarn.io.ForecastFiles;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.model.EnsembleRiskModel;
import org.ewarn.model.EventInformed;
import org.ewarn.model.RiskModel;
import org.ewarn.run.ExitCode;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.SparkSessions;
import org.ewarn.run.StageFailure;

/**
 * {@code ewarn backtest}: one protocol's back-test of the configured models, from the marts to the
 * published {@code backtest_*} marts and CSVs, under the warehouse's run lock. The command and the
 * nightly's back-test stage build the {@link Config} and call {@link #execute()}.
 */
public final class BacktestAction {
  public enum Protocol { ANNUAL, MONTHLY }

  /** Where the event-informed models find their event features (backtest.annual.events). */
  public record Events(String dataset, String codeColumn, List<EventFeatures.Feature> features) {
    public Events {
      features = List.copyOf(features);
    }

    /** Every feature log2(1 + column), none with a coverage flag. */
    public Events(String dataset, String codeColumn, List<String> columns, List<String> names) {
      this(dataset, codeColumn, java.util.stream.IntStream.range(0, columns.size())
          .mapToObj(i -> new EventFeatures.Feature(columns.get(i), names.get(i), EventFeatures.Transform.LOG2, null))
          .toList());
    }
  }

  /**
   * Everything one back-test needs, bound from the configuration at the edge.
   *
   * @param models the annual protocol's models (resolved through the model registry)
   * @param monthlyModels the monthly protocol's model ids (MonthlyModels.IDS)
   * @param configHash hash of the configuration sections the back-test reads, for its manifests
   * @param jvmStartedSeconds when the JVM started (epoch seconds), for the timing line
   */
  public record Config(
      Protocol protocol, List<RiskModel> models, List<String> monthlyModels, BacktestSettings settings,
      ElasticNetSettings net, Events events, String warehouseRoot, Path projectHome, SparkProfile sparkProfile,
      String runId, String codeVersion, String configHash, double jvmStartedSeconds) {
    public Config {
      models = List.copyOf(models);
      monthlyModels = List.copyOf(monthlyModels);
    }
  }

  /** What the back-test published: output paths and CSVs by name, counts, and details for the summary line. */
  public record Result(Map<String, String> outputs, Map<String, Long> counts, Map<String, Object> details) {
    public Result {
      outputs = Map.copyOf(outputs);
      counts = Map.copyOf(counts);
      details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    Result withDetail(String key, Object value) {
      Map<String, Object> d = new LinkedHashMap<>(details);
      d.put(key, value);
      return new Result(outputs, counts, d);
    }
  }

  private final Config cfg;

  public BacktestAction(Config config) {
    this.cfg = config;
  }

  /**
   * Whether the protocol's panel is published: the monthly protocol needs the country-month panel
   * (the nightly then skips it; {@link #execute()} refuses).
   */
  public boolean inputsPublished() {
    return inputsPublished(Warehouse.open(cfg.warehouseRoot()));
  }

  private boolean inputsPublished(Warehouse warehouse) {
    return cfg.protocol() != Protocol.MONTHLY || warehouse.latest(cfg.settings().monthly().dataset()).isPresent();
  }

  public Result execute() {
    BacktestSettings config = cfg.settings();
    Warehouse warehouse = Warehouse.open(cfg.warehouseRoot());
    Instant started = Instant.now();
    if (!inputsPublished(warehouse)) {
      throw new StageFailure(ExitCode.FAILURE, "the monthly back-test needs the country-month panel '"
          + config.monthly().dataset() + "', which is not published in " + warehouse.describe()
          + "; run `ewarn panel` first (the annual protocol does not need it)");
    }
    try (RunLock lock = warehouse.lock("backtest", "backtest")) {
      LazySpark spark = new LazySpark(cfg.sparkProfile());
      // the monthly CSVs in a folder of their own: a nightly run writes both protocols' tables
      BacktestStore store = new BacktestStore(warehouse,
          cfg.protocol() == Protocol.ANNUAL ? config.outputDir() : config.outputDir() + "/monthly", cfg.runId(),
          cfg.codeVersion(), cfg.configHash(), started, List.of());
      return cfg.protocol() == Protocol.ANNUAL ? annual(spark, warehouse, store) : monthly(spark, warehouse, store);
    }
  }

  /**
   * The Spark session, started on first use: the elastic net's annual back-test reads and writes
   * its small marts without Spark, and starting it would cost a fifth of the evaluator's run.
   */
  private static final class LazySpark {
    private final SparkProfile profile;
    private SparkSession session;
    private double seconds;

    LazySpark(SparkProfile profile) {
      this.profile = profile;
    }

    SparkSession get() {
      if (session == null) {
        long s0 = System.nanoTime();
        session = SparkSessions.start(profile, "ewarn backtest");
        seconds = (System.nanoTime() - s0) / 1e9;
      }
      return session;
    }
  }

  private Result annual(LazySpark spark, Warehouse warehouse, BacktestStore store) {
    BacktestSettings config = cfg.settings();
    List<RiskModel> chosen = cfg.models();
    long l0 = System.nanoTime();
    Partition predictors = warehouse.require(config.annual().dataset());
    Optional<Partition> episodePartition = warehouse.latest("ewp_episodes");
    List<Row> episodes = episodePartition.map(p -> SparkMarts.rows(p.read())).orElse(null);
    if (episodes == null) {
      System.err.println("ewarn backtest: ewp_episodes is not in the warehouse; cases get no episode names");
    }
    List<Row> read = SparkMarts.rows(predictors.read());
    requireColumns(predictors.columns().stream().map(org.ewarn.warehouse.Column::name).toList(), config.annual().dataset(), config);
    boolean events = chosen.stream().flatMap(m -> m instanceof EnsembleRiskModel e
        ? e.members().stream() : java.util.stream.Stream.of(m)).anyMatch(m -> m instanceof EventInformed);
    List<String> eventUpstream = new ArrayList<>();
    if (events) {
      String dataset = cfg.events().dataset();
      Partition ev = warehouse.latest(dataset).orElseThrow(() -> new StageFailure(ExitCode.FAILURE,
          "the event-informed models need the event table '" + dataset + "' (backtest.annual.events.dataset), which is"
              + " not published in " + warehouse.describe() + "; run `ewarn "
              + (dataset.startsWith("panel_") ? "panel" : "ingest") + "` first"));
      read = EventFeatures.join(read, SparkMarts.rows(ev.read()), cfg.events().codeColumn(), cfg.events().features());
      eventUpstream.add(BacktestStore.describe(ev));
    }
    List<Row> rows = read;
    Map<String, java.nio.file.Path> sources = config.annual().externalSources();
    if (!AnnualBacktest.inMemory(chosen, config.annual().predictors()) || !sources.isEmpty()) {
      spark.get();
    }
    List<AnnualBacktest.External> externals = new ArrayList<>();
    List<String> upstream = new ArrayList<>(List.of(BacktestStore.describe(predictors)));
    if (!sources.isEmpty()) {
      Optional<Partition> codesPartition = warehouse.latest("country_codes");
      Dataset<Row> codes = codesPartition.map(p -> SparkMarts.read(spark.get(), p)).orElse(null);
      codesPartition.ifPresent(p -> upstream.add(BacktestStore.describe(p)));
      sources.forEach((id, file) -> {
        Dataset<Row> fileRows = ForecastFiles.read(spark.get(), file);
        ExternalForecasts.Mapping mapping = ExternalForecasts.detect(List.of(fileRows.columns()));
        if (mapping == null) {
          throw StageFailure.config("backtest.annual.external-sources." + id + ": " + file
              + " is neither an EWP back-test file (ccode, year, maxrisk2, minrank2) nor the EWP ex-ante history"
              + " (sftgcode, forecast.year, mean.p); score other layouts with `ewarn score-forecasts`");
        }
        if (codes == null && !mapping.codeSystem().equals("cow")) {
          throw new StageFailure(ExitCode.FAILURE, "external source " + id + " uses " + mapping.codeSystem()
              + " codes, which need the country_codes crosswalk (not published in " + warehouse.describe()
              + "); run `ewarn ingest` first");
        }
        ExternalForecasts.Harmonised h = ExternalForecasts.harmonise(fileRows, mapping, codes);
        if (!h.unmatched().isEmpty()) {
          System.err.printf("ewarn backtest: external source %s: %d of %d rows not scored (%s), e.g. %s%n", id,
              h.unmatched().size(), h.unmatched().size() + h.rows().size(),
              h.unmatched().stream().collect(Collectors.groupingBy(ExternalForecasts.Unmatched::reason,
                  java.util.TreeMap::new, Collectors.counting())),
              h.unmatched().subList(0, Math.min(3, h.unmatched().size())));
        }
        externals.add(new AnnualBacktest.External(id, h));
        upstream.add(id + "=" + cfg.projectHome().relativize(file.toAbsolutePath()));
      });
    }
    double loadSeconds = (System.nanoTime() - l0) / 1e9 - spark.seconds;
    upstream.addAll(eventUpstream);
    java.util.function.Supplier<Dataset<Row>> frame = events
        ? () -> spark.get().createDataFrame(rows, rows.get(0).schema()).coalesce(1)
        : () -> SparkMarts.read(spark.get(), predictors);
    AnnualBacktest.Result result = AnnualBacktest.run(rows, episodes, frame, chosen, externals, cfg.net().seed(),
        config.annual().concurrentFits(), config);
    episodePartition.ifPresent(p -> upstream.add(BacktestStore.describe(p)));
    return publish(store, result.tables(), result.counts(), result.seconds(), upstream, "annual",
        chosen.stream().map(RiskModel::id).toList(), spark.seconds, loadSeconds, externals, result.counts());
  }

  private Result monthly(LazySpark spark, Warehouse warehouse, BacktestStore store) {
    BacktestSettings config = cfg.settings();
    List<String> chosen = cfg.monthlyModels();
    ElasticNetSettings net = cfg.net();
    String dataset = config.monthly().dataset();
    Partition panel = warehouse.require(dataset);
    SparkSession session = spark.get();
    long l0 = System.nanoTime();
    Dataset<Row> rows = SparkMarts.read(session, panel);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    MonthlyBacktest.Result result = MonthlyBacktest.run(rows, chosen, net, net.seed(), config);
    result.warnings().forEach(w -> System.err.println("ewarn backtest: warning: " + w));
    Result summary = publish(store, result.tables(), result.counts(), result.seconds(),
        List.of(BacktestStore.describe(panel)), "monthly", chosen, spark.seconds, loadSeconds, List.of(), Map.of());
    return result.warnings().isEmpty() ? summary : summary.withDetail("warnings", result.warnings());
  }

  private Result publish(BacktestStore store, List<Table> tables, Map<String, Long> counts,
      Map<String, Double> seconds, List<String> upstream, String protocolName, List<String> chosen,
      double sparkSeconds, double loadSeconds, List<AnnualBacktest.External> externals,
      Map<String, Long> resultCounts) {
    BacktestSettings config = cfg.settings();
    double jvmStarted = cfg.jvmStartedSeconds();
    long w0 = System.nanoTime();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, String> properties = manifestProperties(protocolName, chosen, config, cfg.net());
    if (!externals.isEmpty()) {
      properties.put("protocol.external", String.join(",", externals.stream().map(AnnualBacktest.External::id).toList()));
      for (AnnualBacktest.External e : externals) {
        properties.put("external." + e.id() + ".file", config.annual().externalSources().get(e.id()).getFileName().toString());
        properties.put("external." + e.id() + ".scored_rows",
            String.valueOf(resultCounts.getOrDefault("external." + e.id() + ".scored_rows", 0L)));
      }
    }
    if (resultCounts.containsKey("common_sample_rows")) {
      properties.put("protocol.common_sample", "sample=common: the country-years every source of this run ("
          + String.join(", ", chosen)
          + (externals.isEmpty() ? "" : ", " + String.join(", ", externals.stream().map(AnnualBacktest.External::id).toList()))
          + ") scored with a risk: " + resultCounts.get("common_sample_rows") + " country-years, "
          + resultCounts.get("common_sample_onsets") + " onsets; pooled rows only");
    }
    if (resultCounts.containsKey("common_long_sample_rows")) {
      properties.put("protocol.common_long_sample", "sample=common_long: the country-years every source forecasting"
          + " at least " + config.annual().longSourceYearShare() + " of the target years ("
          + resultCounts.get("common_long_sample_sources") + " sources; backtest.annual.long-source-year-share)"
          + " scored with a risk: " + resultCounts.get("common_long_sample_rows") + " country-years, "
          + resultCounts.get("common_long_sample_onsets") + " onsets; pooled rows only");
    }
    for (Table t : tables) {
      String name = t.csvName().replace(".csv", "");
      outputs.put(name, store.write(t.dataset(), t.csvName(), t.schema(), t.rows(), "backtest", upstream,
          properties));
      outputs.put(t.dataset(), store.martDir(t.dataset()));
    }
    Map<String, Object> timing = new LinkedHashMap<>();
    timing.put("jvm_to_command", round(System.currentTimeMillis() / 1000.0 - jvmStarted
        - sparkSeconds - loadSeconds - seconds.values().stream().mapToDouble(Double::doubleValue).sum()
        - (System.nanoTime() - w0) / 1e9));
    timing.put("spark_start", round(sparkSeconds));
    timing.put("load", round(loadSeconds));
    seconds.forEach((k, v) -> timing.put(k, round(v)));
    timing.put("write", round((System.nanoTime() - w0) / 1e9));
    timing.put("total_since_jvm_start", round(System.currentTimeMillis() / 1000.0 - jvmStarted));
    System.err.printf("ewarn backtest: %s protocol, %s: %s%n", protocolName, properties.get("models"), timing);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("protocol", protocolName);
    details.put("models", properties.get("models"));
    details.put("seconds", timing);
    return new Result(outputs, counts, details);
  }

  /**
   * The manifest properties appendix E of the report prints: {@code protocol.*} (how the back-test
   * was run), {@code model.*} (the elastic-net specification) and {@code citation.*}.
   */
  public static Map<String, String> manifestProperties(String protocolName, List<String> chosen, BacktestSettings config,
      ElasticNetSettings net) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("protocol", protocolName);
    p.put("models", String.join(",", chosen));
    p.put("protocol.name", protocolName.equals("annual")
        ? "annual: Early Warning Project fully out-of-sample back-test"
        : "monthly: rolling origin on the country-month panel");
    p.put("protocol.models", p.get("models"));
    if (protocolName.equals("annual")) {
      AnnualProtocol.Window w = config.annual().window();
      p.put("protocol.origins", "last training years " + w.firstOrigin() + "–" + w.lastOrigin() + " ("
          + (w.lastOrigin() - w.firstOrigin() + 1) + " origins), each scoring year L+" + w.gap()
          + "; warnings from " + w.firstWarningYear() + " = larger risk / smaller rank of the forecasts made 1 and 2 years before");
      p.put("protocol.outcome", "trained on " + config.annual().outcome() + " (complete cases of "
          + config.annual().dataset() + ", " + config.annual().predictors().size() + " predictors); scored against "
          + config.annual().onset());
    } else {
      BacktestSettings.Monthly m = config.monthly();
      p.put("protocol.origins", "every month " + m.firstOrigin() + " – " + m.lastOrigin() + ", leads 1–"
          + m.horizon() + " months, models refitted every " + m.refitEvery() + " origin(s) on "
          + (m.trainingMonths() == 0 ? "all months" : "the last " + m.trainingMonths() + " months")
          + " before the refit origin");
      p.put("protocol.outcome", "lead-h target of month t = " + m.dataset() + "." + m.onset() + " at t + h");
      p.put("protocol.baselines", "baseline_persistence: onset share given any " + m.persistenceColumn() + " > 0 in the"
          + " last " + m.persistenceMonths() + " months; baseline_history: onset share given an onset at or before t;"
          + " both per lead on the training months");
    }
    p.putAll(metricProperties(config));
    p.put("protocol.skill_reference", protocolName.equals("annual") ? config.skillReference()
        : config.monthly().skillReference());
    if (protocolName.equals("annual")) {
      p.put("protocol.long_source_year_share", Double.toString(config.annual().longSourceYearShare()));
    }
    p.put("protocol.calibration", "reliability bins of predicted risk with edges " + config.calibrationEdges());
    if (chosen.contains("elastic_net")) {
      boolean monthly = !protocolName.equals("annual");
      int folds = monthly ? config.monthly().folds() : net.folds();
      int lambdas = monthly ? config.monthly().lambdaCount() : net.lambdaCount();
      double ratio = monthly ? config.monthly().lambdaMinRatio() : net.lambdaMinRatio();
      p.put("model.elastic_net.alpha", Double.toString(net.alpha()));
      p.put("model.elastic_net.folds", Integer.toString(folds));
      p.put("model.elastic_net.lambda_rule", "lambda.min of " + folds
          + "-fold cross-validation on binomial deviance over a " + lambdas + "-value log-spaced path (min ratio "
          + (Double.isNaN(ratio) ? "glmnet default" : Double.toString(ratio)) + ")"
          + (monthly ? "; one fit per lead on a case-control sample (non-onsets kept at "
              + config.monthly().negativeRate() + ", log-odds shifted by log of it)" : ""));
      p.put("model.elastic_net.seed", Long.toString(net.seed()));
    }
    return p;
  }

  /** Properties every back-test mart shares: metric settings, flagging rule and the EWP citation. */
  public static Map<String, String> metricProperties(BacktestSettings config) {
    Map<String, String> p = new LinkedHashMap<>();
    MetricsTable.Settings x = config.metrics();
    p.put("protocol.k", "recall at k = " + x.ks().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + "; precision at " + x.precisionK());
    p.put("protocol.thresholds", x.thresholds().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + " (share of onsets above, false alarms per true alarm)");
    p.put("protocol.bootstrap", x.replicates() + " replicates resampling countries, seed "
        + x.seed() + ", " + Math.round(x.confidence() * 100) + " % intervals for AUC and recall at "
        + x.intervalRecallK());
    Timeliness.Flagging f = config.flagging();
    String byRank = f.rankAtMost() > 0 ? "rank ≤ " + f.rankAtMost() : "";
    String byRisk = Double.isNaN(f.riskAtLeast()) ? "" : "risk ≥ " + f.riskAtLeast();
    p.put("protocol.flagging", "flagged when " + (byRank.isEmpty() ? byRisk : byRisk.isEmpty() ? byRank : byRank + " or " + byRisk)
        + "; chronic after " + f.chronicPeriods() + " flagged periods running");
    p.put("citation.ewp", "Early Warning Project, United States Holocaust Memorial Museum and Dartmouth College:"
        + " Statistical Risk Assessment (2019, 2023, 2025 editions) and its fully out-of-sample back-test,"
        + " https://earlywarningproject.ushmm.org");
    return p;
  }

  private static double round(double s) {
    return Math.round(s * 1000) / 1000.0;
  }

  private static void requireColumns(List<String> have, String dataset, BacktestSettings config) {
    List<String> need = new ArrayList<>(List.of("year", "ccode", config.annual().countryColumn(),
        config.annual().outcome(), config.annual().onset()));
    need.addAll(config.annual().predictors());
    List<String> missing = need.stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw StageFailure.config("dataset '" + dataset + "' has no column(s) " + missing
          + "; check backtest.annual.predictors / outcome / onset / country-column (names are normalised"
          + " by ingest, e.g. popsize.log2 -> popsize_log2)");
    }
  }
}
