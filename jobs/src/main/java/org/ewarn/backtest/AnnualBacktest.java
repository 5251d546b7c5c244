package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.model.ElasticNet;
import org.ewarn.model.ModelInputs;
import org.ewarn.model.RiskModel;

/**
 * The annual back-test action: forecasts of every origin for each model, the warnings table, the
 * metrics (pooled and per year), the case table, the lead-time distribution and the curves.
 */
public final class AnnualBacktest {
  private AnnualBacktest() {}

  /** The tables plus wall-clock seconds of the fitting and scoring phases. */
  public record Result(
      Table warnings, Table metrics, Table cases, Table leadTimes, Table curves, Table calibration,
      Map<String, Long> counts, Map<String, Double> seconds) {
    public List<Table> tables() {
      return List.of(warnings, metrics, cases, leadTimes, curves, calibration);
    }
  }

  /** True when every model takes the in-memory path, so the run needs no Spark session. */
  public static boolean inMemory(List<RiskModel> models) {
    return models.stream().allMatch(m -> m instanceof ElasticNet);
  }

  /**
   * Runs the protocol. The elastic net takes the in-memory path (its fits are distributed over
   * the machine's cores, origins in parallel); any other model goes through its Spark interface,
   * on the frame {@code sparkPredictors} supplies (asked for only then).
   *
   * @param predictors the rows of the {@code ewp_predictors} mart
   * @param episodes the rows of the {@code ewp_episodes} mart, or null (cases then have no episode name)
   */
  public static Result run(
      List<Row> predictors, List<Row> episodes, java.util.function.Supplier<Dataset<Row>> sparkPredictors,
      List<RiskModel> models, long seed, BacktestSettings s) {
    BacktestSettings.Annual a = s.annual();
    long t0 = System.nanoTime();
    CountryYears panel = CountryYears.of(predictors, a.countryColumn(), a.predictors(), a.outcome(), a.onset());
    Map<Long, String> names = episodes == null ? Map.of() : episodeNames(episodes);
    long t1 = System.nanoTime();
    List<Warning> warnings = new ArrayList<>();
    List<Timeliness.Case> cases = new ArrayList<>();
    List<Timeliness.LeadTime> leads = new ArrayList<>();
    Map<String, List<MetricsTable.Scored>> scoredByModel = new LinkedHashMap<>();
    long forecastsCount = 0;
    double fitSeconds = 0;
    for (RiskModel model : models) {
      long f0 = System.nanoTime();
      List<Forecast> forecasts = model instanceof ElasticNet net
          ? AnnualProtocol.forecasts(model.id(), panel, a.window(),
              AnnualProtocol.elasticNet(net.settings().withSeed(seed)))
          : AnnualProtocol.forecasts(model, new ModelInputs(a.predictors(), a.outcome(), seed),
              sparkPredictors.get(), a.countryColumn(), a.window());
      fitSeconds += (System.nanoTime() - f0) / 1e9;
      forecastsCount += forecasts.size();
      List<Warning> w = AnnualProtocol.warnings(model.id(), forecasts, panel, a.window());
      warnings.addAll(w);
      scoredByModel.put(model.id(), MetricsTable.fromWarnings(w));
      List<Timeliness.Case> c = Timeliness.cases(model.id(), forecasts, Timeliness.onsets(w), names, s.flagging());
      cases.addAll(c);
      leads.addAll(Timeliness.leadTimes(model.id(), c));
    }
    long t2 = System.nanoTime();
    List<MetricsTable.Row> metrics = new ArrayList<>();
    List<Calibration.Bin> calibration = new ArrayList<>();
    List<MetricsTable.Scored> reference = scoredByModel.get(s.skillReference());
    scoredByModel.forEach((model, scored) -> {
      metrics.addAll(MetricsTable.table(model, "annual", MetricsTable.OWN_SAMPLE, scored, reference, s.metrics(), true));
      calibration.addAll(Calibration.table(model, "annual", MetricsTable.OWN_SAMPLE, scored, s.calibrationEdges(), false));
    });
    long t3 = System.nanoTime();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("panel_rows", (long) panel.size());
    counts.put("forecasts", forecastsCount);
    counts.put("warnings", (long) warnings.size());
    counts.put("onsets", warnings.stream().filter(x -> x.mkOnset() == 1).count());
    counts.put("cases", (long) cases.size());
    counts.put("metric_rows", (long) metrics.size());
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("collect", (t1 - t0) / 1e9);
    seconds.put("fits", fitSeconds);
    seconds.put("warnings_and_cases", (t2 - t1) / 1e9 - fitSeconds);
    seconds.put("metrics", (t3 - t2) / 1e9);
    return new Result(Table.warnings(warnings), Table.metrics(metrics, s.metrics()),
        Table.cases(cases, "onset_year", y -> y), Table.leadTimes(leads), Table.curves(scoredByModel),
        Table.calibration(calibration), counts, seconds);
  }

  /**
   * Episode names by (country, start year) from the rows of {@code ewp_episodes}; two episodes
   * starting in the same country and year are joined with "; " in name order.
   */
  public static Map<Long, String> episodeNames(List<Row> episodes) {
    java.util.TreeMap<Long, java.util.TreeSet<String>> byKey = new java.util.TreeMap<>();
    for (Row r : episodes) {
      Object cow = r.get(r.fieldIndex("mk_location_cow"));
      Object start = r.get(r.fieldIndex("startyear"));
      Object name = r.get(r.fieldIndex("mk_event_name"));
      if (cow instanceof Number c && start instanceof Number y && name != null) {
        byKey.computeIfAbsent(AnnualProtocol.key(y.intValue(), c.intValue()), k -> new java.util.TreeSet<>())
            .add(name.toString());
      }
    }
    Map<Long, String> out = new HashMap<>();
    byKey.forEach((k, v) -> out.put(k, String.join("; ", v)));
    return out;
  }
}
