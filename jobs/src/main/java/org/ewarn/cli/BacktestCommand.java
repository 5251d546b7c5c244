package org.ewarn.cli;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.backtest.AnnualBacktest;
import org.ewarn.backtest.BacktestSettings;
import org.ewarn.backtest.MonthlyBacktest;
import org.ewarn.backtest.Table;
import org.ewarn.config.Settings;
import org.ewarn.io.BacktestStore;
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
    List<RiskModel> chosen = resolve(ids, settings);
    long seed = ElasticNetSettings.from(settings).seed();
    Warehouse warehouse = new Warehouse(settings.path("warehouse.root"));
    Instant started = Instant.now();
    if (protocol == Protocol.MONTHLY && warehouse.latest(config.monthly().dataset()).isEmpty()) {
      throw new StageFailure(ExitCode.FAILURE, "the monthly back-test needs the country-month panel '"
          + config.monthly().dataset() + "', which is not published in " + warehouse.root()
          + "; run `ewarn panel` first (the annual protocol does not need it)");
    }
    try (RunLock lock = RunLock.acquire(warehouse.root(), "backtest", "backtest")) {
      long s0 = System.nanoTime();
      SparkSession spark = SparkSessions.start(settings, "ewarn backtest");
      double sparkSeconds = (System.nanoTime() - s0) / 1e9;
      BacktestStore store = new BacktestStore(warehouse, config.outputDir(), runId,
          CodeVersion.of(settings.projectHome()), settings.hash("backtest", "models"), started, List.of());
      return protocol == Protocol.ANNUAL
          ? annual(spark, warehouse, store, config, chosen, seed, runId, sparkSeconds, jvmStarted)
          : monthly(spark, warehouse, store, config, chosen, seed, runId, sparkSeconds, jvmStarted);
    }
  }

  private RunSummary annual(SparkSession spark, Warehouse warehouse, BacktestStore store, BacktestSettings config,
      List<RiskModel> chosen, long seed, String runId, double sparkSeconds, double jvmStarted) {
    long l0 = System.nanoTime();
    Warehouse.Partition predictors = warehouse.require(config.annual().dataset());
    Dataset<Row> episodes = warehouse.latest("ewp_episodes").map(p -> warehouse.read(spark, p)).orElse(null);
    if (episodes == null) {
      System.err.println("ewarn backtest: ewp_episodes is not in the warehouse; cases get no episode names");
    }
    Dataset<Row> rows = warehouse.read(spark, predictors);
    requireColumns(rows, config.annual().dataset(), config);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    AnnualBacktest.Result result = AnnualBacktest.run(rows, episodes, chosen, seed, config);
    List<String> upstream = new ArrayList<>(List.of(BacktestStore.describe(predictors)));
    warehouse.latest("ewp_episodes").ifPresent(p -> upstream.add(BacktestStore.describe(p)));
    return publish(spark, store, result.tables(), result.counts(), result.seconds(), upstream, "annual", chosen,
        runId, sparkSeconds, loadSeconds, jvmStarted);
  }

  private RunSummary monthly(SparkSession spark, Warehouse warehouse, BacktestStore store, BacktestSettings config,
      List<RiskModel> chosen, long seed, String runId, double sparkSeconds, double jvmStarted) {
    String dataset = config.monthly().dataset();
    Warehouse.Partition panel = warehouse.require(dataset);
    long l0 = System.nanoTime();
    Dataset<Row> rows = warehouse.read(spark, panel);
    double loadSeconds = (System.nanoTime() - l0) / 1e9;
    MonthlyBacktest.Result result = MonthlyBacktest.run(rows, chosen, seed, config);
    return publish(spark, store, result.tables(), result.counts(), result.seconds(),
        List.of(BacktestStore.describe(panel)), "monthly", chosen, runId, sparkSeconds, loadSeconds, jvmStarted);
  }

  private RunSummary publish(SparkSession spark, BacktestStore store, List<Table> tables, Map<String, Long> counts,
      Map<String, Double> seconds, List<String> upstream, String protocolName, List<RiskModel> chosen,
      String runId, double sparkSeconds, double loadSeconds, double jvmStarted) {
    long w0 = System.nanoTime();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, String> properties = Map.of("protocol", protocolName,
        "models", String.join(",", chosen.stream().map(RiskModel::id).toList()));
    for (Table t : tables) {
      String name = t.csvName().replace(".csv", "");
      outputs.put(name, store.write(spark, t.dataset(), t.csvName(), t.schema(), t.rows(), "backtest", upstream,
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

  private static double round(double s) {
    return Math.round(s * 1000) / 1000.0;
  }

  private static void requireColumns(Dataset<Row> rows, String dataset, BacktestSettings config) {
    List<String> have = List.of(rows.columns());
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
