package org.ewarn.model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.run.Futures;
import org.ewarn.run.StepProgress;

/**
 * Fits every model of several training windows (forecast editions and horizons) at once on one
 * Spark session. An MLlib fit on a few thousand rows is a long chain of one-task Spark jobs, each
 * mostly driver-side overhead, so one fit keeps about one core busy: fits of independent windows
 * run side by side fill the machine. Each fit sees exactly the rows and seed it would see alone
 * (its own cached window, same partitioning), so the models are the same as when fitted one by
 * one. MLlib random forests hold their per-level split statistics (hundreds of MB for 300 trees)
 * in the heap, so they run one at a time in a lane of their own; the other fits run beside it.
 * XGBoost tree models ({@link XGBoostTrees}) fit on the driver in a fraction of a second with a
 * few MB of native memory, so they run in the common lane.
 */
public final class ConcurrentFits {
  /** One training window: the label for progress lines, its rows and its inputs. */
  public record Window(String label, Dataset<Row> train, ModelInputs inputs) {}

  private final int threads;
  private final PrintStream progress;

  public ConcurrentFits(int threads, PrintStream progress) {
    this.threads = Math.max(1, threads);
    this.progress = progress;
  }

  /**
   * The fitted models of each window, in the order of {@code models}; an ensemble is combined from
   * its members' fits on the same window (members not enabled themselves are fitted for it).
   */
  public List<Map<String, FittedRiskModel>> fit(List<RiskModel> models, List<Window> windows) {
    List<RiskModel> base = baseModels(models);
    List<Dataset<Row>> cached = new ArrayList<>();
    for (Window w : windows) {
      cached.add(w.train().cache());
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory named = r -> {
      Thread t = new Thread(r, "ewarn-fit-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // forests in a lane of their own (one at a time, see the class comment), the rest beside them
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), named);
    ExecutorService forests = threads >= 2 ? Executors.newSingleThreadExecutor(named) : pool;
    StepProgress windowsDone = new StepProgress("forecast", windows.size(), progress);
    try {
      List<List<Future<FittedRiskModel>>> futures = new ArrayList<>();
      for (int i = 0; i < windows.size(); i++) {
        Window w = windows.get(i);
        Dataset<Row> train = cached.get(i);
        AtomicInteger left = new AtomicInteger(base.size());
        List<Future<FittedRiskModel>> own = new ArrayList<>();
        for (RiskModel m : base) {
          own.add((memoryHeavy(m) ? forests : pool).submit(() -> {
            try {
              long f0 = System.nanoTime();
              FittedRiskModel f = m.fit(train, w.inputs());
              progress.printf(Locale.ROOT, "ewarn forecast: %s fitted for %s in %.1f s%n", m.id(), w.label(),
                  (System.nanoTime() - f0) / 1e9);
              return f;
            } finally {
              if (left.decrementAndGet() == 0) {
                windowsDone.done(w.label() + ": models fitted");
              }
            }
          }));
        }
        futures.add(own);
      }
      List<Map<String, FittedRiskModel>> out = new ArrayList<>();
      for (int i = 0; i < windows.size(); i++) {
        Map<String, FittedRiskModel> byId = new LinkedHashMap<>();
        for (int j = 0; j < base.size(); j++) {
          byId.put(base.get(j).id(), Futures.join(futures.get(i).get(j), "fitting"));
        }
        out.add(assemble(models, byId));
      }
      return out;
    } finally {
      pool.shutdownNow();
      forests.shutdownNow();
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * How many fits run at once: {@code ewarn.concurrent-fits} of the Spark profile
   * (conf/spark/*.properties), else one more than the cores Spark has.
   */
  public static int threads(org.apache.spark.sql.SparkSession spark) {
    String configured = spark.sparkContext().getConf().get("ewarn.concurrent-fits", "");
    if (!configured.isBlank()) {
      try {
        int n = Integer.parseInt(configured.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the message
      }
      throw new IllegalArgumentException("ewarn.concurrent-fits in the Spark profile must be a whole number >= 1, got '"
          + configured + "'");
    }
    return spark.sparkContext().defaultParallelism() + 1;
  }

  /** The models to fit: every non-ensemble model, then ensemble members not enabled themselves. */
  static List<RiskModel> baseModels(List<RiskModel> models) {
    Map<String, RiskModel> base = new LinkedHashMap<>();
    for (RiskModel m : models) {
      if (!(m instanceof EnsembleRiskModel)) {
        base.putIfAbsent(m.id(), m);
      }
    }
    for (RiskModel m : models) {
      if (m instanceof EnsembleRiskModel e) {
        e.members().forEach(member -> base.putIfAbsent(member.id(), member));
      }
    }
    // longest first: the forests and boosted trees, then the rest in configured order
    List<RiskModel> ordered = new ArrayList<>();
    base.values().stream().filter(ConcurrentFits::memoryHeavy).forEach(ordered::add);
    base.values().stream().filter(m -> !memoryHeavy(m) && isTrees(m)).forEach(ordered::add);
    base.values().stream().filter(m -> !isTrees(m)).forEach(ordered::add);
    return ordered;
  }

  /** The enabled models in their order, ensembles combined from the members' fits. */
  static Map<String, FittedRiskModel> assemble(List<RiskModel> models, Map<String, FittedRiskModel> byId) {
    Map<String, FittedRiskModel> fitted = new LinkedHashMap<>();
    for (RiskModel m : models) {
      if (m instanceof EnsembleRiskModel e) {
        List<FittedRiskModel> parts = new ArrayList<>();
        for (RiskModel member : e.members()) {
          parts.add(byId.get(member.id()));
        }
        fitted.put(m.id(), EnsembleRiskModel.combine(m.id(), parts));
      } else {
        fitted.put(m.id(), byId.get(m.id()));
      }
    }
    return fitted;
  }

  private static boolean memoryHeavy(RiskModel m) {
    return m instanceof PipelineRiskModel p && p.classifier() instanceof PipelineRiskModel.RandomForest;
  }

  private static boolean isTrees(RiskModel m) {
    return m instanceof PipelineRiskModel p && !(p.classifier() instanceof PipelineRiskModel.Logistic)
        || m instanceof XGBoostTrees;
  }
}
