package org.ewarn.backtest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.BacktestStore;
import org.ewarn.io.ForecastFiles;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.SparkSessions;
import org.ewarn.run.StageFailure;

/**
 * {@code ewarn score-forecasts}: an external forecast file scored with the back-test metrics and
 * timeliness analysis (protocol {@code external}), published as {@code backtest_*} marts and CSVs.
 */
public final class ScoreForecastsAction {
  /** The columns the user named (null: detected from the file's layout), names as given. */
  public record Columns(String codeColumn, String codeSystem, String countryColumn, String yearColumn,
      String riskColumn, String rankColumn) {}

  /** One scoring run, bound from the command line and the configuration. {@code source} null: the file name. */
  public record Config(Path file, String source, Columns columns, BacktestSettings settings, String warehouseRoot,
      SparkProfile sparkProfile, String runId, String codeVersion, String configHash) {}

  /** Output paths by name, counts, the source name and the layout it was read as. */
  public record Result(Map<String, String> outputs, Map<String, Long> counts, String source, String layout) {
    public Result {
      outputs = Map.copyOf(outputs);
      counts = Map.copyOf(counts);
    }
  }

  private final Config cfg;

  public ScoreForecastsAction(Config config) {
    this.cfg = config;
  }

  public Result execute() {
    BacktestSettings config = cfg.settings();
    Path file = cfg.file();
    Warehouse warehouse = Warehouse.open(cfg.warehouseRoot());
    Instant started = Instant.now();
    try (RunLock lock = warehouse.lock("backtest", "score-forecasts")) {
      SparkSession spark = SparkSessions.start(cfg.sparkProfile(), "ewarn score-forecasts");
      Dataset<Row> rows = ForecastFiles.read(spark, file);
      ExternalForecasts.Mapping mapping = mapping(List.of(rows.columns()));
      Partition outcomes = warehouse.require(config.outcomesDataset());
      Dataset<Row> codes = warehouse.latest("country_codes").map(p -> SparkMarts.read(spark, p)).orElse(null);
      if (codes == null && !mapping.codeSystem().equals("cow")) {
        throw new StageFailure(ExitCode.FAILURE, "matching " + mapping.codeSystem()
            + " codes needs the country_codes crosswalk, which is not published in " + warehouse.describe()
            + "; run `ewarn ingest` first");
      }
      ExternalForecasts.Harmonised h = ExternalForecasts.harmonise(rows, mapping, codes);
      List<Row> episodes = warehouse.latest("ewp_episodes").map(p -> SparkMarts.rows(p.read())).orElse(null);
      String name = cfg.source() != null ? cfg.source()
          : file.getFileName().toString().replaceAll("\\.csv(\\.gz)?$", "");
      ExternalForecasts.Result result = ExternalForecasts.score(name, h,
          ExternalForecasts.outcomes(SparkMarts.read(spark, outcomes), config.annual().onset()),
          episodes == null ? Map.of() : AnnualBacktest.episodeNames(episodes), config);
      BacktestStore store = new BacktestStore(warehouse, config.outputDir(), cfg.runId(),
          cfg.codeVersion(), cfg.configHash(), started, List.of(file));
      List<String> upstream = new ArrayList<>(List.of(BacktestStore.describe(outcomes)));
      Map<String, String> properties = new LinkedHashMap<>(Map.of("protocol", "external", "source", name,
          "file", file.toString(), "layout", mapping.preset()));
      properties.put("protocol.name", "external: forecasts of " + name + " scored against "
          + config.outcomesDataset() + "." + config.annual().onset() + " (warning = larger risk / smaller rank of the"
          + " forecasts for the two years before)");
      properties.putAll(BacktestAction.metricProperties(config));
      Map<String, String> outputs = new LinkedHashMap<>();
      for (Table t : result.tables()) {
        outputs.put(t.csvName().replace(".csv", ""), store.write(t.dataset(), t.csvName(), t.schema(),
            t.rows(), "score-forecasts", upstream, properties));
        outputs.put(t.dataset(), store.martDir(t.dataset()));
      }
      Table unmatched = ExternalForecasts.unmatchedTable(h.unmatched());
      outputs.put("unmatched", store.writeCsv(unmatched.csvName(), unmatched.schema(), unmatched.rows()));
      if (!h.unmatched().isEmpty()) {
        System.err.printf("ewarn score-forecasts: %d rows not scored (see %s), e.g. %s%n", h.unmatched().size(),
            outputs.get("unmatched"), h.unmatched().subList(0, Math.min(5, h.unmatched().size())));
      }
      return new Result(outputs, result.counts(), name, mapping.preset());
    }
  }

  private ExternalForecasts.Mapping mapping(List<String> columns) {
    Path file = cfg.file();
    Columns given = cfg.columns();
    ExternalForecasts.Mapping detected = ExternalForecasts.detect(columns);
    String code = pick(given.codeColumn(), detected == null ? null : detected.codeColumn());
    String system = pick(given.codeSystem(), detected == null ? "cow" : detected.codeSystem());
    String country = pick(given.countryColumn(), detected == null ? null : detected.nameColumn());
    String year = pick(given.yearColumn(), detected == null ? null : detected.yearColumn());
    String risk = pick(given.riskColumn(), detected == null ? null : detected.riskColumn());
    String rank = pick(given.rankColumn(), detected == null ? null : detected.rankColumn());
    if (year == null || risk == null || (code == null && country == null)) {
      throw StageFailure.config("cannot tell which columns of " + file + " hold the country, year and risk"
          + " (columns: " + columns + "); give --year-column, --risk-column and --code-column or --country-column");
    }
    for (String c : new String[] {code, country, year, risk, rank}) {
      if (c != null && !columns.contains(c)) {
        throw StageFailure.config("column '" + c + "' is not in " + file + " (normalised columns: " + columns + ")");
      }
    }
    String preset = detected == null ? "custom" : detected.preset();
    boolean asDetected = detected != null && given.riskColumn() == null && given.rankColumn() == null
        && given.yearColumn() == null;
    return new ExternalForecasts.Mapping(code, system.toLowerCase(java.util.Locale.ROOT), country, year, risk, rank,
        asDetected ? detected.madeRiskColumn() : null, asDetected ? detected.madeRankColumn() : null, preset);
  }

  private static String pick(String option, String detected) {
    return option != null ? ForecastFiles.normalise(option) : detected;
  }
}
