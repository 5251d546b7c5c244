package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.io.Checksums;
import org.ewarn.io.Manifest;
import org.ewarn.io.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every configured source into the warehouse: crosswalks first (every other source is
 * harmonised through them), then each source into {@code <dataset>/vintage=<label>} with its
 * quarantine and unmatched-country report beside it. A source whose vintage is already published
 * from the same files is a no-op; from other files, an error (published vintages never change).
 *
 * <p>The steps, one class each: {@link CountryCrosswalks} (crosswalk), {@link SourceChecks} (read
 * and check), {@link Quarantine} (rejected rows and their report) and {@link Publication} (where the
 * rows are held and how they are written: in memory for a small source, streamed through staging
 * for a large one). This class runs them per source and turns their counts into the manifest and
 * the quality gate.
 */
public final class IngestAction {
  private static final Logger LOG = LoggerFactory.getLogger(IngestAction.class);
  /** Manifest property: the source's {@code coverage} (IngestConfig.COVERAGE_KINDS). */
  public static final String COVERAGE_PROPERTY = "coverage";

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final IngestConfig config;
  private final String runId;
  private final long smallSourceBytes;

  public IngestAction(SparkSession spark, Warehouse warehouse, IngestConfig config, String runId) {
    this(spark, warehouse, config, runId, SMALL_SOURCE_BYTES);
  }

  /** With another bound between small and large sources (tests run both paths on one file). */
  IngestAction(SparkSession spark, Warehouse warehouse, IngestConfig config, String runId, long smallSourceBytes) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.config = config;
    this.runId = runId;
    this.smallSourceBytes = smallSourceBytes;
  }

  /** What happened to one source. */
  public record SourceOutcome(
      String source, String dataset, String vintage, String status, Map<String, Long> counts,
      Path partition, Path quarantine, List<String> warnings) {
    public SourceOutcome {
      counts = Map.copyOf(counts);
      warnings = List.copyOf(warnings);
    }
  }

  public record Result(List<SourceOutcome> sources, Map<String, Path> crosswalks) {
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

  public Result execute() {
    try {
      Map<String, Path> crosswalkPaths = new LinkedHashMap<>();
      Dataset<Row> codes = new CountryCrosswalks(spark, warehouse, config, runId)
          .load(sources -> inParallel(sources, s -> ingest(s, null, Turn.ANY)), crosswalkPaths);
      List<SourceOutcome> outcomes = ingestAll(codes);
      Result result = new Result(outcomes, crosswalkPaths);
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
  private List<SourceOutcome> ingestAll(Dataset<Row> codes) {
    org.ewarn.run.StepProgress progress = org.ewarn.run.StepProgress.onStderr("ingest", config.sources().size());
    Map<IngestConfig.Source, Turn> turns = new java.util.IdentityHashMap<>();
    Map<String, Turn> last = new java.util.HashMap<>();
    for (IngestConfig.Source source : config.sources()) {
      Turn turn = new Turn(last.containsKey(source.dataset()) ? last.get(source.dataset()).mine() : Turn.FIRST,
          new java.util.concurrent.CompletableFuture<>());
      turns.put(source, turn);
      last.put(source.dataset(), turn);
    }
    return inParallel(config.sources(), source -> {
      SourceOutcome o = ingest(source, codes, turns.get(source));
      progress.done(source.name());
      return o;
    });
  }

  /**
   * A source's place among the sources of its dataset: vintages of one dataset are published in
   * the configured order, whichever finishes its checks first. Readers order a dataset's vintages
   * by when they were published (the latest wins a shared event id; the panel's vintage label
   * hashes the list), so that order must not depend on timing. Sources start in the configured
   * order, so the one waited for has always started: no deadlock.
   */
  private record Turn(java.util.concurrent.CompletableFuture<Void> previous,
      java.util.concurrent.CompletableFuture<Void> mine) {
    static final java.util.concurrent.CompletableFuture<Void> FIRST =
        java.util.concurrent.CompletableFuture.completedFuture(null);
    static final Turn ANY = new Turn(FIRST, new java.util.concurrent.CompletableFuture<>());

    void awaitPrevious() {
      previous.join();
    }

    void done() {
      mine.complete(null);
    }
  }

  /** {@code ingest} of each source, {@code ingest.parallel-sources} at a time; outcomes in order. */
  private List<SourceOutcome> inParallel(List<IngestConfig.Source> sources,
      java.util.function.Function<IngestConfig.Source, SourceOutcome> ingest) {
    int threads = Math.max(1, Math.min(config.parallelSources(), sources.size()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<SourceOutcome>> futures = new ArrayList<>();
      for (IngestConfig.Source source : sources) {
        futures.add(pool.submit(() -> ingest.apply(source)));
      }
      List<SourceOutcome> outcomes = new ArrayList<>();
      for (var f : futures) {
        try {
          outcomes.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
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

  // ---- one source: read and check, split, quarantine, publish ----

  private SourceOutcome ingest(IngestConfig.Source source, Dataset<Row> codes, Turn turn) {
    try {
      return ingestInTurn(source, codes, turn);
    } finally {
      turn.done();
    }
  }

  private SourceOutcome ingestInTurn(IngestConfig.Source source, Dataset<Row> codes, Turn turn) {
    long t0 = System.nanoTime();
    // parallel: hashing gigabytes of GED files is I/O and one core each
    List<Path> described = new ArrayList<>(source.files());
    described.addAll(source.lookups().values());
    List<Manifest.InputFile> inputs = described.parallelStream().map(Checksums::describe).toList();
    var existing = warehouse.published(source.dataset(), source.vintage());
    if (existing.isPresent()) {
      Manifest m = existing.get().manifest();
      if (sameInputs(m, inputs)) {
        LOG.info("{}: {}/vintage={} already published from the same files; nothing to do",
            source.name(), source.dataset(), source.vintage());
        return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "unchanged",
            m.counts(), existing.get().dir(),
            warehouse.partitionDir(source.dataset() + "_quarantine", source.vintage()), m.warnings());
      }
      throw StageFailure.config(source.dataset() + "/vintage=" + source.vintage()
          + " is already published from other files (" + describe(m.inputs()) + "); published vintages"
          + " are never modified: give the new data a new vintage label (ingest.sources."
          + source.name() + ".vintage)");
    }
    String started = Instant.now().toString();
    boolean small = isSmall(source);
    Publication out = small ? Publication.inMemory(spark, warehouse, runId, source)
        : Publication.streamed(spark, warehouse, runId, source);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      SourceChecks.Checked c = SourceChecks.read(spark, config, source, codes, small, cached);
      Dataset<Row> checked = out.hold(c.rows());
      List<QualityRules.Rule> rules = c.rules();
      long absent = c.absent();

      Dataset<Row> clean = out.stage(
          checked.where(col(Typing.REASON).isNull()).select(SourceChecks.outputColumns(source, checked)));
      Dataset<Row> rejected = out.materialise("rejected", Quarantine.rows(checked, c.countryCode()));
      Publication.Tally tally = out.tally(clean, rules);
      long cleanRows = tally.rows();
      Map<String, Long> warned = tally.warned();

      long duplicates = 0;
      long conflicts = 0;
      Dataset<Row> bad = rejected;
      List<String> key = source.format().publishedKey();
      if (!key.isEmpty() && out.mayRepeat(clean, key)) {
        Dataset<Row> repeated = Duplicates.repeatedKeys(clean, key).cache();
        if (!repeated.isEmpty()) {
          // Rare: rewrite the staged rows without the repeats, which are dropped or quarantined.
          Dataset<Row> marked = out.materialise("marked",
              Duplicates.mark(clean, repeated, key, new HashSet<>(Countries.CANONICAL)));
          duplicates = marked.where(col(Duplicates.DUPLICATE)).count();
          conflicts = marked.where(col(Typing.REASON).isNotNull()).count();
          bad = rejected.unionByName(Quarantine.rows(marked, lit(null).cast("string")));
          clean = out.stage(marked.where(col(Typing.REASON).isNull().and(not(col(Duplicates.DUPLICATE))))
              .select(Arrays.stream(clean.columns()).map(c2 -> col(c2)).toArray(Column[]::new)));
        }
        repeated.unpersist();
      }

      Map<String, Long> counts = new TreeMap<>(out.byReason(bad));
      long quarantined = counts.values().stream().mapToLong(Long::longValue).sum();
      // every record read was staged clean (repeats included), rejected or absent (not a record);
      // conflicting repeats are in both
      long read = cleanRows + quarantined - conflicts + absent;
      List<String> warnings = new ArrayList<>();
      warned.forEach((rule, n) -> {
        if (n > 0) {
          counts.put("warning." + rule, n);
          warnings.add("rule " + rule + " warned on " + n + " rows");
        }
      });
      long accepted = read - quarantined - duplicates - absent;
      if (!source.format().absentWhenNull().isEmpty()) {
        counts.put("skipped_absent", absent);
      }
      counts.put("rows_read", read);
      counts.put("accepted", accepted);
      counts.put("quarantined", quarantined);
      counts.put("duplicates", duplicates);
      if (read == absent) {
        warnings.add("no data rows: the files have a header only");
      }
      double rate = read == absent ? 0 : (double) quarantined / (read - absent);
      double limit = config.maxErrorRate(source.dataset());
      LOG.info("{}: read {} rows, accepted {}, quarantined {}, duplicates {} ({} s)", source.name(), read,
          accepted, quarantined, duplicates, (System.nanoTime() - t0) / 1_000_000_000L);
      if (rate > limit) {
        warnings.add(String.format(java.util.Locale.ROOT,
            "%.2f %% of %d rows failed checks, above the limit of %.2f %% (quality.max-error-rate); by reason: %s",
            100 * rate, read, 100 * limit, Quarantine.reasonCounts(counts)));
        return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "quality_gate_failed",
            counts, null, null, warnings);
      }

      turn.awaitPrevious();
      String finished = Instant.now().toString();
      Map<String, String> props = new TreeMap<>();
      props.put("source", source.name());
      props.put("format", source.format().name());
      props.put("encoding", source.encoding().name());
      // read by the panels: a sample's months without a record are unknown, not calm
      props.put(COVERAGE_PROPERTY, source.coverage());
      Dataset<Row> unmatched = null;
      if (counts.containsKey(Quarantine.COUNT_PREFIX + "unknown_country")) {
        // held: its first codes go into the manifest, all of it into the report
        unmatched = out.hold(Quarantine.unmatched(rejected, source.format().country()));
        List<String> codesSeen = unmatched.limit(50).collectAsList().stream()
            .map(r -> r.getString(0) + " (" + r.getLong(1) + ")").toList();
        if (!codesSeen.isEmpty()) {
          props.put("unmatched_countries", String.join(", ", codesSeen));
        }
      }
      Manifest base = new Manifest(source.dataset(), source.vintage(), "ingest", runId, inputs, List.of(),
          counts, warnings, config.codeVersion(), config.configHash(), started, finished, props);

      warehouse.discardOrphan(source.dataset() + "_quarantine", source.vintage(), source.dataset());
      warehouse.discardOrphan(source.dataset() + "_unmatched", source.vintage(), source.dataset());
      out.publish(source.dataset() + "_quarantine", bad.drop("country_code"), rename(base, source.dataset() + "_quarantine"));
      if (unmatched != null) {
        out.publish(source.dataset() + "_unmatched", unmatched, rename(base, source.dataset() + "_unmatched"));
      }
      // The dataset itself last: its manifest is what makes the vintage exist for readers.
      Warehouse.Partition p = out.publishStaged(base);
      return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "published", counts,
          p.dir(), warehouse.partitionDir(source.dataset() + "_quarantine", source.vintage()), warnings);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * Inputs up to this size (on disk, compressed) are held in memory while they are checked, counted
   * and written; larger ones (full GED releases of gigabytes) stream from the files twice instead,
   * so their size is bounded by the disk, not the heap.
   */
  static final long SMALL_SOURCE_BYTES = 32L << 20;

  private boolean isSmall(IngestConfig.Source source) {
    long bytes = 0;
    for (Path f : source.files()) {
      try {
        bytes += java.nio.file.Files.size(f);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + f, e);
      }
    }
    return bytes <= smallSourceBytes;
  }

  private static Manifest rename(Manifest m, String dataset) {
    return new Manifest(dataset, m.vintage(), m.stage(), m.runId(), m.inputs(), List.of(m.dataset()),
        m.counts(), m.warnings(), m.codeVersion(), m.configHash(), m.started(), m.finished(), m.properties());
  }

  static boolean sameInputs(Manifest m, List<Manifest.InputFile> inputs) {
    return m.inputs().stream().map(Manifest.InputFile::sha256).sorted().toList()
        .equals(inputs.stream().map(Manifest.InputFile::sha256).sorted().toList());
  }

  private static String describe(List<Manifest.InputFile> files) {
    return String.join(", ", files.stream().map(f -> f.path() + " sha256 " + f.sha256().substring(0, 12)).toList());
  }
}
