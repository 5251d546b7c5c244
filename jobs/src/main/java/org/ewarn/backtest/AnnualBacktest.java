package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.ewarn.model.ElasticNet;
import org.ewarn.model.EnsembleRiskModel;
import org.ewarn.model.EventInformed;
import org.ewarn.model.FrequencyBaseline;
import org.ewarn.model.ModelInputs;
import org.ewarn.model.RiskModel;
import org.ewarn.model.XGBoostTrees;

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
  public static boolean inMemory(List<RiskModel> models, List<String> predictors) {
    return fitted(models).stream().allMatch(m -> inMemory(m, predictors));
  }

  private static boolean inMemory(RiskModel m, List<String> predictors) {
    return trainer(m, 0) != null || (m instanceof FrequencyBaseline b && predictors.contains(b.predictor()));
  }

  /**
   * The in-memory trainer of a model that has one (the elastic net, the XGBoost tree models and
   * their event-informed variants), else null. The XGBoost trees get one thread per fit: the
   * origins run in parallel already.
   */
  static AnnualProtocol.Trainer trainer(RiskModel m, long seed) {
    if (m instanceof EventInformed e) {
      return trainer(e.base(), seed);
    }
    if (m instanceof ElasticNet net) {
      return AnnualProtocol.elasticNet(net.settings().withSeed(seed));
    }
    if (m instanceof XGBoostTrees trees) {
      return AnnualProtocol.trees(trees.withThreads(1), seed);
    }
    return null;
  }

  /** How a fitted model is fitted, for the estimate of the time left; an event-informed model as its base. */
  static FitProgress.Engine engine(RiskModel m, List<String> predictors) {
    if (m instanceof EventInformed e) {
      return engine(e.base(), predictors);
    }
    if (m instanceof ElasticNet) {
      return FitProgress.Engine.ELASTIC_NET;
    }
    if (m instanceof XGBoostTrees) {
      return FitProgress.Engine.XGBOOST;
    }
    return m instanceof FrequencyBaseline && inMemory(m, predictors) ? FitProgress.Engine.FREQUENCY
        : FitProgress.Engine.MLLIB;
  }

  /** The models actually fitted: each listed model once, an ensemble's members in its place. */
  static List<RiskModel> fitted(List<RiskModel> models) {
    Map<String, RiskModel> out = new LinkedHashMap<>();
    for (RiskModel m : models) {
      if (m instanceof EnsembleRiskModel e) {
        e.members().forEach(member -> out.putIfAbsent(member.id(), member));
      } else {
        out.putIfAbsent(m.id(), m);
      }
    }
    return List.copyOf(out.values());
  }

  /** An external forecast source, harmonised to COW codes, scored beside the models. */
  public record External(String id, ExternalForecasts.Harmonised rows) {}

  public static Result run(
      List<Row> predictors, List<Row> episodes, Supplier<Dataset<Row>> sparkPredictors,
      List<RiskModel> models, long seed, BacktestSettings s) {
    return run(predictors, episodes, sparkPredictors, models, List.of(), seed, 1, s);
  }

  /**
   * Runs the protocol. The elastic net, the XGBoost tree models (and their event-informed
   * variants) and the frequency baselines take the in-memory path (the fitted models' origins in
   * parallel over the machine's cores); any other model goes through its
   * Spark interface on the frame {@code sparkPredictors} supplies (asked for only then, cached
   * once), {@code concurrentFits} origins at a time on the one session: a fit of these small
   * frames is mostly the driver's per-job latency, which concurrent jobs overlap. An ensemble
   * averages its members' forecasts of the same origins; members are fitted once. External
   * sources are scored on the same onsets; every source gets metrics on its own sample and on the
   * common sample, the country-years every model and source scored.
   *
   * @param predictors the rows of the {@code ewp_predictors} mart
   * @param episodes the rows of the {@code ewp_episodes} mart, or null (cases then have no episode name)
   */
  public static Result run(
      List<Row> predictors, List<Row> episodes, Supplier<Dataset<Row>> sparkPredictors,
      List<RiskModel> models, List<External> externals, long seed, int concurrentFits, BacktestSettings s) {
    BacktestSettings.Annual a = s.annual();
    long t0 = System.nanoTime();
    CountryYears panel = CountryYears.of(predictors, a.countryColumn(), a.predictors(), a.outcome(), a.onset());
    Map<Long, String> names = episodes == null ? Map.of() : episodeNames(episodes);
    long t1 = System.nanoTime();
    Map<String, List<Forecast>> byModel = forecasts(panel,
        e -> CountryYears.of(predictors, a.countryColumn(), e.widen(new ModelInputs(a.predictors(), a.outcome(), seed))
            .features(), a.outcome(), a.onset()),
        sparkPredictors, models, seed, concurrentFits, a);
    long f1 = System.nanoTime();
    double fitSeconds = (f1 - t1) / 1e9;

    List<Warning> warnings = new ArrayList<>();
    List<Timeliness.Case> cases = new ArrayList<>();
    List<Timeliness.LeadTime> leads = new ArrayList<>();
    Map<String, List<MetricsTable.Scored>> scoredBySource = new LinkedHashMap<>();
    Map<String, String> protocolOf = new LinkedHashMap<>();
    long forecastsCount = 0;
    for (RiskModel model : models) {
      List<Forecast> forecasts = byModel.get(model.id());
      forecastsCount += forecasts.size();
      List<Warning> w = AnnualProtocol.warnings(model.id(), forecasts, panel, a.window());
      warnings.addAll(w);
      scoredBySource.put(model.id(), MetricsTable.fromWarnings(w));
      protocolOf.put(model.id(), "annual");
      List<Timeliness.Case> c = Timeliness.cases(model.id(), forecasts, Timeliness.onsets(w), names, s.flagging());
      cases.addAll(c);
      leads.addAll(Timeliness.leadTimes(model.id(), c));
    }
    Map<Long, Integer> outcomes = outcomes(panel, a.window().firstWarningYear());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (External e : externals) {
      ExternalForecasts.Prepared p = ExternalForecasts.prepare(e.id(), e.rows(), outcomes);
      scoredBySource.put(e.id(), p.scored());
      protocolOf.put(e.id(), "external");
      List<Timeliness.Case> c = Timeliness.cases(e.id(), p.made(), p.onsets(), names, s.flagging());
      cases.addAll(c);
      leads.addAll(Timeliness.leadTimes(e.id(), c));
      p.counts().forEach((k, v) -> counts.put("external." + e.id() + "." + k, v));
    }
    long t2 = System.nanoTime();
    List<MetricsTable.Row> metrics = new ArrayList<>();
    List<Calibration.Bin> calibration = new ArrayList<>();
    Map<String, List<MetricsTable.Scored>> common = MetricsTable.commonSample(scoredBySource);
    List<MetricsTable.Scored> reference = scoredBySource.get(s.skillReference());
    List<MetricsTable.Scored> commonReference = common.get(s.skillReference());
    score(MetricsTable.OWN_SAMPLE, scoredBySource, reference, true, protocolOf, s, metrics, calibration);
    if (scoredBySource.size() > 1) {
      score(MetricsTable.COMMON_SAMPLE, common, commonReference, false, protocolOf, s, metrics, calibration);
    }
    // a short source (three ex-ante years) makes the strict common sample a handful of onsets; the
    // long-running sources' one compares the rest on most of the span (only when it differs)
    Map<String, List<MetricsTable.Scored>> longSources = MetricsTable.longRunning(scoredBySource, a.longSourceYearShare());
    Map<String, List<MetricsTable.Scored>> commonLong = MetricsTable.commonSample(longSources);
    boolean distinctLong = longSources.size() > 1 && longSources.size() < scoredBySource.size();
    if (distinctLong) {
      score(MetricsTable.COMMON_LONG_SAMPLE, commonLong, commonLong.get(s.skillReference()), false, protocolOf, s,
          metrics, calibration);
    }
    long t3 = System.nanoTime();
    List<MetricsTable.Scored> anyCommon = common.values().stream().findFirst().orElse(List.of());
    counts.put("panel_rows", (long) panel.size());
    counts.put("forecasts", forecastsCount);
    counts.put("warnings", (long) warnings.size());
    counts.put("onsets", warnings.stream().filter(x -> x.mkOnset() == 1).count());
    counts.put("cases", (long) cases.size());
    counts.put("metric_rows", (long) metrics.size());
    counts.put("common_sample_rows", (long) anyCommon.size());
    counts.put("common_sample_onsets", anyCommon.stream().filter(r -> r.outcome() == 1).count());
    if (distinctLong) {
      List<MetricsTable.Scored> anyLong = commonLong.values().stream().findFirst().orElse(List.of());
      counts.put("common_long_sample_rows", (long) anyLong.size());
      counts.put("common_long_sample_onsets", anyLong.stream().filter(r -> r.outcome() == 1).count());
      counts.put("common_long_sample_sources", (long) longSources.size());
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("collect", (t1 - t0) / 1e9);
    seconds.put("fits", fitSeconds);
    seconds.put("warnings_and_cases", (t2 - f1) / 1e9);
    seconds.put("metrics", (t3 - t2) / 1e9);
    return new Result(Table.warnings(warnings), Table.metrics(metrics, s.metrics()),
        Table.cases(cases, "onset_year", y -> y), Table.leadTimes(leads), Table.curves(scoredBySource),
        Table.calibration(calibration), counts, seconds);
  }

  /** mk_onset by (year, ccode) for the warning years, from the panel the models are scored on. */
  static Map<Long, Integer> outcomes(CountryYears panel, int firstWarningYear) {
    Map<Long, Integer> out = new HashMap<>();
    for (int i = 0; i < panel.size(); i++) {
      if (panel.year()[i] >= firstWarningYear && !Double.isNaN(panel.onset()[i])) {
        out.put(AnnualProtocol.key(panel.year()[i], panel.ccode()[i]), (int) panel.onset()[i]);
      }
    }
    return out;
  }

  /**
   * Every origin's forecasts of every model, by model id in the order given. Spark fits are
   * submitted first (they take longest), then the in-memory ones run on this thread.
   */
  static Map<String, List<Forecast>> forecasts(CountryYears panel,
      java.util.function.Function<EventInformed, CountryYears> eventPanel, Supplier<Dataset<Row>> sparkPredictors,
      List<RiskModel> models, long seed, int concurrentFits, BacktestSettings.Annual a) {
    List<RiskModel> toFit = fitted(models);
    AnnualProtocol.Window window = a.window();
    int origins = window.lastOrigin() - window.firstOrigin() + 1;
    FitProgress progress = new FitProgress(System.err);
    toFit.forEach(m -> progress.expect(m.id(), engine(m, a.predictors()), origins));
    Map<String, List<Forecast>> byModel = new LinkedHashMap<>();
    List<RiskModel> distributed = toFit.stream().filter(m -> !inMemory(m, a.predictors())).toList();
    Map<String, List<Future<List<Forecast>>>> pending = new LinkedHashMap<>();
    ExecutorService pool = null;
    Dataset<Row> frame = null;
    try {
      if (!distributed.isEmpty()) {
        frame = sparkPredictors.get().cache();
        frame.count();
        pool = Executors.newFixedThreadPool(Math.max(1, concurrentFits), r -> {
          Thread t = new Thread(r, "ewarn-backtest-fit");
          t.setDaemon(true);
          return t;
        });
        ModelInputs inputs = new ModelInputs(a.predictors(), a.outcome(), seed);
        Dataset<Row> shared = frame;
        // origin-major order: the late origins (most rows) of every model start early, and the
        // estimate of the time left sees every model soon
        for (int origin = window.lastOrigin(); origin >= window.firstOrigin(); origin--) {
          for (RiskModel m : distributed) {
            int o = origin;
            // an event-informed model scores (and trains on) rows complete in its event features too
            ModelInputs own = m instanceof EventInformed e ? e.widen(inputs) : inputs;
            pending.computeIfAbsent(m.id(), id -> new ArrayList<>()).add(0, pool.submit(() -> {
              long f0 = System.nanoTime();
              List<Forecast> f = AnnualProtocol.originForecasts(m, own, shared, a.countryColumn(), o, window.gap());
              progress.fitted(m.id(), o, (System.nanoTime() - f0) / 1e9);
              return f;
            }));
          }
        }
      }
      Map<String, List<Forecast>> local = new LinkedHashMap<>();
      for (RiskModel m : toFit) {
        AnnualProtocol.Trainer trainer = trainer(m, seed);
        if (trainer != null) {
          // an event-informed model trains on (and scores) the rows complete in its event features too
          CountryYears own = m instanceof EventInformed e ? eventPanel.apply(e) : panel;
          local.put(m.id(), AnnualProtocol.forecasts(m.id(), own, window, trainer,
              (origin, sec) -> progress.fitted(m.id(), origin, sec)));
        } else if (m instanceof FrequencyBaseline b && a.predictors().contains(b.predictor())) {
          int column = a.predictors().indexOf(b.predictor());
          List<Forecast> f = new ArrayList<>();
          for (int origin = window.firstOrigin(); origin <= window.lastOrigin(); origin++) {
            long f0 = System.nanoTime();
            f.addAll(AnnualProtocol.frequencyForecasts(m.id(), panel, column, b.threshold(), origin, window.gap()));
            progress.fitted(m.id(), origin, (System.nanoTime() - f0) / 1e9);
          }
          local.put(m.id(), f);
        }
      }
      Map<String, List<Forecast>> fittedById = new LinkedHashMap<>();
      for (RiskModel m : toFit) {
        if (local.containsKey(m.id())) {
          fittedById.put(m.id(), local.get(m.id()));
        } else {
          List<Forecast> f = new ArrayList<>();
          for (Future<List<Forecast>> future : pending.get(m.id())) {
            f.addAll(future.get());
          }
          fittedById.put(m.id(), f);
        }
      }
      for (RiskModel m : models) {
        byModel.put(m.id(), m instanceof EnsembleRiskModel e
            ? AnnualProtocol.averaged(m.id(), e.members().stream().map(x -> fittedById.get(x.id())).toList())
            : fittedById.get(m.id()));
      }
      return byModel;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("back-test interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      if (frame != null) {
        frame.unpersist();
      }
    }
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

  /** Metrics and reliability bins of every source on one sample (own, common, common_long). */
  private static void score(String sample, Map<String, List<MetricsTable.Scored>> bySource,
      List<MetricsTable.Scored> skillReference, boolean ownSample, Map<String, String> protocolOf,
      BacktestSettings s, List<MetricsTable.Row> metrics, List<Calibration.Bin> calibration) {
    for (Map.Entry<String, List<MetricsTable.Scored>> e : bySource.entrySet()) {
      String protocol = protocolOf.get(e.getKey());
      metrics.addAll(MetricsTable.table(e.getKey(), protocol, sample, e.getValue(), skillReference, s.metrics(), ownSample));
      calibration.addAll(Calibration.table(e.getKey(), protocol, sample, e.getValue(), s.calibrationEdges(), false));
    }
  }
}
