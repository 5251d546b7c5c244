package org.ewarn.cli;

import java.nio.file.Path;
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
import org.ewarn.backtest.ExternalForecasts;
import org.ewarn.backtest.Table;
import org.ewarn.config.Settings;
import org.ewarn.io.BacktestStore;
import org.ewarn.io.SmallParquet;
import org.ewarn.io.ForecastFiles;
import org.ewarn.io.RunLock;
import org.ewarn.io.Warehouse;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
import org.ewarn.run.SparkSessions;
import org.ewarn.run.StageFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "score-forecasts", mixinStandardHelpOptions = true,
    description = {
      "Score an external forecast file with the back-test metrics.", "",
      "The file has country or code, year, risk and an optional rank; it is scored with the",
      "back-test metrics and timeliness analysis, as protocol 'external'. EWP back-test files",
      "(maxrisk2/minrank2 by COW ccode) and the EWP 2014-15 ex-ante history (PITF codes, mean.p)",
      "are recognised; other files need --year-column, --risk-column and a country column.",
      "Column names are matched after normalisation (forecast.year -> forecast_year)."})
final class ScoreForecastsCommand extends StageCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "CSV file (may be .gz).")
  Path file;

  @Option(names = "--source", description = "Name of the forecast source in the outputs (default: file name).")
  String source;

  @Option(names = "--code-column", description = "Column with the country code.")
  String codeColumn;

  @Option(names = "--code-system", description = "cow, pitf, iso3, gw or name (default cow).")
  String codeSystem;

  @Option(names = "--country-column", description = "Column with the country name (used when the code does not match).")
  String countryColumn;

  @Option(names = "--year-column", description = "Column with the year the forecast is for.")
  String yearColumn;

  @Option(names = "--risk-column", description = "Column with the risk (probability).")
  String riskColumn;

  @Option(names = "--rank-column", description = "Column with the rank (default: computed per year).")
  String rankColumn;

  @Override
  RunSummary execute(Settings settings, String runId) {
    BacktestSettings config = BacktestSettings.from(settings);
    Warehouse warehouse = new Warehouse(settings.path("warehouse.root"));
    Instant started = Instant.now();
    try (RunLock lock = RunLock.acquire(warehouse.root(), "backtest", "score-forecasts")) {
      SparkSession spark = SparkSessions.start(settings.sparkProfile(), "ewarn score-forecasts");
      Dataset<Row> rows = ForecastFiles.read(spark, file);
      ExternalForecasts.Mapping mapping = mapping(List.of(rows.columns()));
      Warehouse.Partition outcomes = warehouse.require(config.outcomesDataset());
      Dataset<Row> codes = warehouse.latest("country_codes").map(p -> warehouse.read(spark, p)).orElse(null);
      if (codes == null && !mapping.codeSystem().equals("cow")) {
        throw new StageFailure(org.ewarn.run.ExitCode.FAILURE, "matching " + mapping.codeSystem()
            + " codes needs the country_codes crosswalk, which is not published in " + warehouse.root()
            + "; run `ewarn ingest` first");
      }
      ExternalForecasts.Harmonised h = ExternalForecasts.harmonise(rows, mapping, codes);
      List<Row> episodes = warehouse.latest("ewp_episodes").map(p -> SmallParquet.read(p.dir())).orElse(null);
      String name = source != null ? source
          : file.getFileName().toString().replaceAll("\\.csv(\\.gz)?$", "");
      ExternalForecasts.Result result = ExternalForecasts.score(name, h,
          ExternalForecasts.outcomes(warehouse.read(spark, outcomes), config.annual().onset()),
          episodes == null ? Map.of() : AnnualBacktest.episodeNames(episodes), config);
      BacktestStore store = new BacktestStore(warehouse, config.outputDir(), runId,
          CodeVersion.of(settings.projectHome()), settings.hash("backtest"), started, List.of(file));
      List<String> upstream = new ArrayList<>(List.of(BacktestStore.describe(outcomes)));
      Map<String, String> properties = new LinkedHashMap<>(Map.of("protocol", "external", "source", name,
          "file", file.toString(), "layout", mapping.preset()));
      properties.put("protocol.name", "external: forecasts of " + name + " scored against "
          + config.outcomesDataset() + "." + config.annual().onset() + " (warning = larger risk / smaller rank of the"
          + " forecasts for the two years before)");
      properties.putAll(BacktestCommand.metricProperties(config));
      Map<String, String> outputs = new LinkedHashMap<>();
      for (Table t : result.tables()) {
        outputs.put(t.csvName().replace(".csv", ""), store.write(t.dataset(), t.csvName(), t.schema(),
            t.rows(), "score-forecasts", upstream, properties).toString());
        outputs.put(t.dataset(), store.martDir(t.dataset()).toString());
      }
      Table unmatched = ExternalForecasts.unmatchedTable(h.unmatched());
      outputs.put("unmatched", store.writeCsv(unmatched.csvName(), unmatched.schema(), unmatched.rows()).toString());
      if (!h.unmatched().isEmpty()) {
        System.err.printf("ewarn score-forecasts: %d rows not scored (see %s), e.g. %s%n", h.unmatched().size(),
            outputs.get("unmatched"), h.unmatched().subList(0, Math.min(5, h.unmatched().size())));
      }
      return RunSummary.ok("score-forecasts", runId, outputs, result.counts())
          .withDetails(Map.of("source", name, "layout", mapping.preset()));
    }
  }

  private ExternalForecasts.Mapping mapping(List<String> columns) {
    ExternalForecasts.Mapping detected = ExternalForecasts.detect(columns);
    String code = pick(codeColumn, detected == null ? null : detected.codeColumn());
    String system = pick(codeSystem, detected == null ? "cow" : detected.codeSystem());
    String country = pick(countryColumn, detected == null ? null : detected.nameColumn());
    String year = pick(yearColumn, detected == null ? null : detected.yearColumn());
    String risk = pick(riskColumn, detected == null ? null : detected.riskColumn());
    String rank = pick(rankColumn, detected == null ? null : detected.rankColumn());
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
    boolean asDetected = detected != null && riskColumn == null && rankColumn == null && yearColumn == null;
    return new ExternalForecasts.Mapping(code, system.toLowerCase(java.util.Locale.ROOT), country, year, risk, rank,
        asDetected ? detected.madeRiskColumn() : null, asDetected ? detected.madeRankColumn() : null, preset);
  }

  private static String pick(String option, String detected) {
    return option != null ? ForecastFiles.normalise(option) : detected;
  }
}
