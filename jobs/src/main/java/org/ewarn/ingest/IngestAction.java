package org.ewarn.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.SparkMarts;
import org.ewarn.run.ExitCode;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.SparkSessions;
import org.ewarn.run.StageFailure;
import org.ewarn.run.StepProgress;
import org.ewarn.warehouse.Warehouse;

/**
 * Loads every configured source into the warehouse: crosswalks first (every other source is
 * harmonised through them), then each source into {@code <dataset>/vintage=<label>} with its
 * quarantine and unmatched-country report beside it. A source whose vintage is already published
 * from the same files is a no-op; from other files, an error (published vintages never change).
 *
 * <p>The steps, one class each: {@link CountryCrosswalks} (crosswalk), {@link SourceIngest} (one
 * source: read and check with {@link SourceChecks}, split, {@link Quarantine}, count and gate with
 * {@link SourceCounts}, publish through {@link Publication}). This class runs them, several sources
 * at a time, and applies the quality gate to the whole run. The command and the nightly's ingest
 * stage build the {@link Config} and call {@link #execute()}, which starts the run's Spark session
 * and opens the warehouse on it.
 */
public final class IngestAction {
  /** Manifest property: the source's {@code coverage} (IngestConfig.COVERAGE_KINDS). */
  public static final String COVERAGE_PROPERTY = "coverage";

  /**
   * Inputs up to this size (on disk, compressed) are held in memory while they are checked, counted
   * and written; larger ones (full GED releases of gigabytes) stream from the files twice instead,
   * so their size is bounded by the disk, not the heap.
   */
  static final long SMALL_SOURCE_BYTES = 32L << 20;

  /**
   * Everything one ingest run needs, bound from the configuration at the edge.
   *
   * @param ingest the sources, the warehouse and the quality rules ({@code ingest}, {@code quality})
   */
  public record Config(IngestConfig ingest, SparkProfile sparkProfile, String runId) {}

  private final IngestConfig config;
  private final SparkProfile sparkProfile;
  private final String runId;
  private final long smallSourceBytes;

  public IngestAction(Config config) {
    this(config, SMALL_SOURCE_BYTES);
  }

  /** With another bound between small and large sources (tests run both paths on one file). */
  IngestAction(Config config, long smallSourceBytes) {
    this.config = config.ingest();
    this.sparkProfile = config.sparkProfile();
    this.runId = config.runId();
    this.smallSourceBytes = smallSourceBytes;
  }

  /**
   * What happened to one source; {@code partition} and {@code quarantine} are locations (a plain
   * path on local disk, else a URI), null when nothing was published.
   */
  public record SourceOutcome(
      String source, String dataset, String vintage, String status, Map<String, Long> counts,
      String partition, String quarantine, List<String> warnings) {
    public SourceOutcome {
      counts = Map.copyOf(counts);
      warnings = List.copyOf(warnings);
    }
  }

  /** Every source's outcome, and the locations of the tables derived from the crosswalks. */
  public record Result(List<SourceOutcome> sources, Map<String, String> crosswalks) {
    public Result {
      sources = List.copyOf(sources);
      crosswalks = Map.copyOf(crosswalks);
    }

    public long total(String count) {
      return sources.stream().mapToLong(s -> s.counts().getOrDefault(count, 0L)).sum();
    }

    public List<SourceOutcome> gateFailures() {
      return sources.stream().filter(s -> s.status().equals("quality_gate_failed")).toList();
    }
  }

  /** On the run's Spark session, into the warehouse at {@code config.warehouse()} opened on it. */
  public Result execute() {
    SparkSession spark = SparkSessions.start(sparkProfile, "ewarn ingest");
    return execute(spark, SparkMarts.open(spark, config.warehouse()));
  }

  /** On a session and warehouse the caller started and opened (tests). */
  Result execute(SparkSession spark, Warehouse warehouse) {
    SourceIngest sourceIngest = new SourceIngest(spark, warehouse, config, runId, smallSourceBytes);
    try {
      Map<String, String> crosswalks = new LinkedHashMap<>();
      Dataset<Row> codes = new CountryCrosswalks(spark, warehouse, config, runId)
          .load(sources -> inParallel(sources, s -> ingest(sourceIngest, s, null, Turn.ANY)), crosswalks);
      List<SourceOutcome> outcomes = ingestAll(sourceIngest, codes);
      Result result = new Result(outcomes, crosswalks);
      if (!result.gateFailures().isEmpty()) {
        StringBuilder msg = new StringBuilder("data-quality gate failed, not published:");
        for (SourceOutcome o : result.gateFailures()) {
          msg.append("\n  ").append(o.source()).append(" → ").append(o.dataset()).append(": ")
              .append(String.join("; ", o.warnings()));
        }
        throw new GateFailed(msg.toString(), result);
      }
      return result;
    } finally {
      warehouse.discardStaging(runId);
    }
  }

  /** Thrown when a source failed its gate; carries what was published before and after it. */
  public static final class GateFailed extends StageFailure {
    private final transient Result result;

    GateFailed(String message, Result result) {
      super(ExitCode.QUALITY_GATE, message);
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  /**
   * Sources run a few at a time: a small source is one Spark task per file and mostly job
   * overhead, so several in flight keep both cores busy. Outcomes keep the configured order.
   */
  private List<SourceOutcome> ingestAll(SourceIngest sourceIngest, Dataset<Row> codes) {
    StepProgress progress = StepProgress.onStderr("ingest", config.sources().size());
    Map<IngestConfig.Source, Turn> turns = new IdentityHashMap<>();
    Map<String, Turn> last = new HashMap<>();
    for (IngestConfig.Source source : config.sources()) {
      Turn turn = new Turn(last.containsKey(source.dataset()) ? last.get(source.dataset()).mine() : Turn.FIRST,
          new CompletableFuture<>());
      turns.put(source, turn);
      last.put(source.dataset(), turn);
    }
    return inParallel(config.sources(), source -> {
      SourceOutcome o = ingest(sourceIngest, source, codes, turns.get(source));
      progress.done(source.name());
      return o;
    });
  }

  private static SourceOutcome ingest(SourceIngest sourceIngest, IngestConfig.Source source, Dataset<Row> codes,
      Turn turn) {
    try {
      return sourceIngest.ingest(source, codes, turn::awaitPrevious);
    } finally {
      turn.done();
    }
  }

  /**
   * A source's place among the sources of its dataset: vintages of one dataset are published in
   * the configured order, whichever finishes its checks first. Readers order a dataset's vintages
   * by when they were published (the latest wins a shared event id; the panel's vintage label
   * hashes the list), so that order must not depend on timing. Sources start in the configured
   * order, so the one waited for has always started: no deadlock.
   */
  private record Turn(CompletableFuture<Void> previous, CompletableFuture<Void> mine) {
    static final CompletableFuture<Void> FIRST = CompletableFuture.completedFuture(null);
    static final Turn ANY = new Turn(FIRST, new CompletableFuture<>());

    void awaitPrevious() {
      previous.join();
    }

    void done() {
      mine.complete(null);
    }
  }

  /** {@code ingest} of each source, {@code ingest.parallel-sources} at a time; outcomes in order. */
  private List<SourceOutcome> inParallel(List<IngestConfig.Source> sources,
      Function<IngestConfig.Source, SourceOutcome> ingest) {
    int threads = Math.max(1, Math.min(config.parallelSources(), sources.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<SourceOutcome>> futures = new ArrayList<>();
      for (IngestConfig.Source source : sources) {
        futures.add(pool.submit(() -> ingest.apply(source)));
      }
      List<SourceOutcome> outcomes = new ArrayList<>();
      for (var f : futures) {
        try {
          outcomes.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
