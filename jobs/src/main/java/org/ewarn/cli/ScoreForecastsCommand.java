package org.ewarn.cli;

import java.nio.file.Path;
import java.util.Map;
import org.ewarn.backtest.BacktestSettings;
import org.ewarn.backtest.ScoreForecastsAction;
import org.ewarn.config.Settings;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.RunSummary;
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
    ScoreForecastsAction.Result r = new ScoreForecastsAction(new ScoreForecastsAction.Config(file, source,
        new ScoreForecastsAction.Columns(codeColumn, codeSystem, countryColumn, yearColumn, riskColumn, rankColumn),
        BacktestSettings.from(settings), settings.location("warehouse.root"), settings.sparkProfile(), runId,
        CodeVersion.of(settings.projectHome()), settings.hash("backtest"))).execute();
    return RunSummary.ok("score-forecasts", runId, r.outputs(), r.counts())
        .withDetails(Map.of("source", r.source(), "layout", r.layout()));
  }
}
