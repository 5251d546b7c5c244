package org.ewarn.cli;

import java.lang.management.ManagementFactory;
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
import org.ewarn.backtest.AnnualBacktest;
import org.ewarn.backtest.AnnualProtocol;
import org.ewarn.backtest.ExternalForecasts;
import org.ewarn.backtest.MetricsTable;
import org.ewarn.backtest.Timeliness;
import org.ewarn.backtest.BacktestSettings;
import org.ewarn.backtest.MonthlyBacktest;
import org.ewarn.backtest.MonthlyModels;
import org.ewarn.backtest.Table;
import org.ewarn.config.Settings;
import org.ewarn.io.BacktestStore;
import org.ewarn.io.ForecastFiles;
import org.ewarn.io.SmallParquet;
import org.ewarn.io.RunLock;
import org.ewarn.io.Warehouse;
import org.ewarn.model.ModelRegistry;
import org.ewarn.model.ElasticNetSettings;
import org.ewarn.model.RiskModel;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.ExitCode;
import org.ewarn.run.RunSummary;
import org.ewarn.run.SparkSessions;
import org.ewarn.run.StageFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = {
      "Back-test the configured risk models against the mass-killing onsets that happened.",
      "annual: the Early Warning Project's fully out-of-sample protocol (train on years <= L,",
      "score year L+2, warn with the larger risk / smaller rank of the two forecasts before);",
      "monthly: rolling origin on the country-month panel.",
      "Writes warnings, metrics, cases, lead_times and curves as CSV and as backtest_* marts."})
final class BacktestCommand extends StageCommand {
  enum Protocol { ANNUAL, MONTHLY }

  @Option(names = "--protocol", defaultValue = "annual",
      description = "annual (default) or monthly.")
  Protocol protocol;

  @Option(names = "--model", paramLabel = "ID",
      description = "Model to back-test (repeatable; default: backtest.models), e.g. elastic_net.")
  List<String> models = new ArrayList<>();

  @Override
  RunSummary execute(Settings settings, String runId) {
    double jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    BacktestSettings config = BacktestSettings.from(settings);
    List<String> ids = !models.isEmpty() ? models
        : protocol == Protocol.MONTHLY ? config.monthly().models() : config.models();
    // the monthly protocol has models of its own (MonthlyModels), the annual one the registry's
    List<RiskModel> chosen = protocol == Protocol.MONTHLY ? List.of() : resolve(ids, settings);
    List<String> chosenIds = protocol == Protocol.MONTHLY ? monthlyIds(ids) : chosen.stream().map(RiskModel::id).toList();
    ElasticNetSettings net = ElasticNetSettings.from(settings);
    Warehouse warehouse = new Warehouse(settings.path("warehouse.root"));
    Instant started = Instant.now();
    if (protocol == Protocol.MONTHLY && warehouse.latest(config.monthly().dataset()).isEmpty()) {
      throw new StageFailure(ExitCode.FAILURE, "the monthly back-test needs the country-month panel '"
          + config.monthly().dataset() + "', which is not published in " + warehouse.root()
          + "; run `ewarn panel` first (the annual protocol does not need it)");
    }
    try (RunLock lock = RunLock.acquire(warehouse.root(), "backtest", "backtest")) {
      LazySpark spark = new LazySpark(settings);
      // the monthly CSVs in a folder of their own: a nightly run writes both protocols' tables
      BacktestStore store = new BacktestStore(warehouse,
          protocol == Protocol.ANNUAL ? config.outputDir() : config.outputDir().resolve("monthly"), runId,
          CodeVersion.of(settings.projectHome()), settings.hash("backtest", "models"), started, List.of());
      return protocol == Protocol.ANNUAL
          ? annual(spark, warehouse, store, config, chosen, net, runId, jvmStarted, settings)
          : monthly(spark, warehouse, store, config, chosenIds, net, runId, jvmStarted);
    }
  }

  /**
   * The Spark session, started on first use: the elastic net's annual back-test reads and writes
   * its small marts without Spark, and starting it would cost a fifth of the evaluator's run.
   */
  private static final class LazySpark {
    private final Settings settings;
    private SparkSession session;
    private double seconds;

    LazySpark(Settings settings) {
      this.settings = settings;
    }

    SparkSession get() {
      if (session == null) {
        long s0 = System.nanoTime();
        session = SparkSessions.start(settings.sparkProfile(), "ewarn backtest");
        seconds = (System.nanoTime() - s0) / 1e9;
      }
      return session;
    }
  }

  private RunSummary annual(LazySpark spark, Warehouse warehouse, BacktestStore store, BacktestSettings config,
      List<RiskModel> chosen, ElasticNetSettings net, String runId, double jvmStarted, Settings settings) {
    long l0 = System.nanoTime();
    Warehouse.Partition predictors = warehouse.require(config.annual().dataset());
    Optional<Warehouse.Partition> episodePartition = warehouse.latest("ewp_episodes");
    List<Row> episodes = episodePartition.map(p -> SmallParquet.read(p.dir())).orElse(null);
    if (episodes == null) {
      System.err.println("ewarn backtest: ewp_episodes is not in the warehouse; cases get no episode names");
    }
    List<Row> read = SmallParquet.read(predictors.dir());
    requireColumns(SmallParquet.columns(predictors.dir()), config.annual().dataset(), config);
    boolean events = chosen.stream().flatMap(m -> m instanceof org.ewarn.model.EnsembleRiskModel e
        ? e.members().stream() : java.util.stream.Stream.of(m)).anyMatch(m -> m instanceof org.ewarn.model.EventInformed);
    List<String> eventUpstream = new ArrayList<>();
    if (events) {
      String k = "backtest.annual.events.";
      String dataset = settings.string(k + "dataset");
      Warehouse.Partition ev = warehouse.latest(dataset).orElseThrow(() -> new StageFailure(ExitCode.FAILURE,
          "the event-informed models need the event table '" + dataset + "' (UCDP Organized Violence), which is not"
              + " published in " + warehouse.root() + "; run `ewarn ingest --source ucdp-ov-cy` first"));
      read = org.ewarn.backtest.EventFeatures.join(read, SmallParquet.read(ev.dir()), settings.string(k + "code-column"),
          settings.strings(k + "columns"), settings.strings(k + "names"));
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
      Optional<Warehouse.Partition> codesPartition = warehouse.latest("country_codes");
      Dataset<Row> codes = codesPartition.map(p -> warehouse.read(spark.get(), p)).orElse(null);
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
              + " codes, which need the country_codes crosswalk (not published in " + warehouse.root()
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
        upstream.add(id + "=" + settings.projectHome().relativize(file.toAbsolutePath()));
      });
    }
    double loadSeconds = (System.nanoTime() - l0) / 1e9 - spark.seconds;
    upstream.addAll(eventUpstream);
    java.util.function.Supplier<Dataset<Row>> frame = events
        ? () -> spark.get().createDataFrame(rows, rows.get(0).schema()).coalesce(1)
        : () -> warehouse.read(spark.get(), predictors);
    AnnualBacktest.Result result = AnnualBacktest.run(rows, episodes, frame, chosen, externals, net.seed(),
        config.annual().concurrentFits(), config);
    episodePartition.ifPresent(p -> upstream.add(BacktestStore.describe(p)));
    return publish(store, result.tables(), result.counts(), result.seconds(), upstream, "annual",
        chosen.stream().map(RiskModel::id).toList(), runId, spark.seconds, loadSeconds, jvmStarted, config, net,
        externals, result.counts());
  }

  private RunSummary monthly(LazySpark spark, Warehouse warehouse, BacktestStore store, BacktestSettings config,
      List<String> chosen, ElasticNetSettings net, String runId, double jvmStarted) {
    String dataset = config.monthly().dataset();
    Warehouse.Partition panel = warehouse.require(dataset);
    SparkSession session = spark.get();
    long l0 = System.nanoTime();
    Dataset<Row> rows = warehouse.read(session, panel);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    MonthlyBacktest.Result result = MonthlyBacktest.run(rows, chosen, net, net.seed(), config);
    result.warnings().forEach(w -> System.err.println("ewarn backtest: warning: " + w));
    RunSummary summary = publish(store, result.tables(), result.counts(), result.seconds(),
        List.of(BacktestStore.describe(panel)), "monthly", chosen, runId, spark.seconds, loadSeconds, jvmStarted,
        config, net, List.of(), Map.of());
    return result.warnings().isEmpty() ? summary : summary.withDetails(Map.of("warnings", result.warnings()));
  }

  private RunSummary publish(BacktestStore store, List<Table> tables, Map<String, Long> counts,
      Map<String, Double> seconds, List<String> upstream, String protocolName, List<String> chosen,
      String runId, double sparkSeconds, double loadSeconds, double jvmStarted, BacktestSettings config,
      ElasticNetSettings enSettings, List<AnnualBacktest.External> externals, Map<String, Long> resultCounts) {
    long w0 = System.nanoTime();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, String> properties = manifestProperties(protocolName, chosen, config, enSettings);
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
    for (Table t : tables) {
      String name = t.csvName().replace(".csv", "");
      outputs.put(name, store.write(t.dataset(), t.csvName(), t.schema(), t.rows(), "backtest", upstream,
          properties).toString());
      outputs.put(t.dataset(), store.martDir(t.dataset()).toString());
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
    return RunSummary.ok("backtest", runId, outputs, counts)
        .withDetails(Map.of("protocol", protocolName, "models", properties.get("models"), "seconds", timing));
  }

  /**
   * The manifest properties appendix E of the report prints: {@code protocol.*} (how the back-test
   * was run), {@code model.*} (the elastic-net specification) and {@code citation.*}.
   */
  static Map<String, String> manifestProperties(String protocolName, List<String> chosen, BacktestSettings config,
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
  static Map<String, String> metricProperties(BacktestSettings config) {
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

  /** The monthly protocol's model ids, checked against {@link MonthlyModels#IDS}. */
  static List<String> monthlyIds(List<String> ids) {
    for (String id : ids) {
      if (!MonthlyModels.IDS.contains(id)) {
        throw StageFailure.config("--model " + id + ": the monthly protocol's models are " + MonthlyModels.IDS);
      }
    }
    if (ids.isEmpty()) {
      throw StageFailure.config("backtest.monthly.models: at least one model id, e.g. [elastic_net]");
    }
    return List.copyOf(ids);
  }

  /**
   * Model ids to models through the model registry (the same ids and settings as the forecast):
   * the elastic net takes the back-test's in-memory path, every other model its Spark interface.
   */
  static List<RiskModel> resolve(List<String> ids, Settings settings) {
    List<String> available = ModelRegistry.available(settings);
    List<RiskModel> out = new ArrayList<>();
    for (String id : ids) {
      if (!available.contains(id)) {
        throw StageFailure.config("--model " + id + ": unknown model id; configured: " + available
            + " (baselines are models.baselines.<name>, id baseline_<name>)");
      }
      out.add(ModelRegistry.model(id, settings));
    }
    if (out.isEmpty()) {
      throw settings.problem("backtest.models", "at least one model id, e.g. [elastic_net]");
    }
    return out;
  }
}
