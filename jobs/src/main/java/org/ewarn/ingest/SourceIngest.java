package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.ingest.IngestAction.SourceOutcome;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source into the warehouse, in its steps: skip it when its vintage is published from the same
 * files ({@link #unchanged}); read and check it ({@link SourceChecks}); split the checked rows into
 * staged clean rows and rejected ones ({@link #split}); drop or quarantine repeated keys
 * ({@link #withoutRepeats}); count and gate ({@link SourceCounts}); publish the quarantine, the
 * unmatched-country report and the dataset last ({@link #publish}). {@link Publication} holds the
 * rows meanwhile: in memory for a small source, streamed through staging for a large one.
 */
final class SourceIngest {
  // the stage's log lines keep the name operators know
  private static final Logger LOG = LoggerFactory.getLogger(IngestAction.class);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final IngestConfig config;
  private final String runId;
  private final long smallSourceBytes;

  SourceIngest(SparkSession spark, Warehouse warehouse, IngestConfig config, String runId, long smallSourceBytes) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.config = config;
    this.runId = runId;
    this.smallSourceBytes = smallSourceBytes;
  }

  /**
   * Ingests one source; {@code awaitTurn} returns when the sources of its dataset configured before
   * it are published (vintages are published in the configured order).
   */
  SourceOutcome ingest(IngestConfig.Source source, Dataset<Row> codes, Runnable awaitTurn) {
    long t0 = System.nanoTime();
    List<Manifest.InputFile> inputs = inputs(source);
    Optional<Partition> existing = warehouse.partition(source.dataset(), source.vintage());
    if (existing.isPresent()) {
      return unchanged(source, existing.get(), inputs);
    }
    String started = Instant.now().toString();
    boolean small = isSmall(source);
    Publication out = small ? Publication.inMemory(spark, warehouse, runId, source)
        : Publication.streamed(spark, warehouse, runId, source);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      SourceChecks.Checked checked = SourceChecks.read(spark, config, source, codes, small, cached);
      Split split = withoutRepeats(source, out, split(source, out, checked));
      SourceCounts counts = new SourceCounts(out.byReason(split.quarantine()), split.tally(), split.duplicates(),
          split.conflicts(), checked.absent(), !source.format().absentWhenNull().isEmpty());
      LOG.info("{}: {} ({} s)", source.name(), counts, (System.nanoTime() - t0) / 1_000_000_000L);
      if (!counts.passGate(config.maxErrorRate(source.dataset()))) {
        return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "quality_gate_failed",
            counts.counts(), null, null, counts.warnings());
      }
      awaitTurn.run();
      return publish(source, out, split, counts, inputs, started);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** The source's files and lookups as the manifest records them (size, SHA-256). */
  private static List<Manifest.InputFile> inputs(IngestConfig.Source source) {
    List<Path> described = new ArrayList<>(source.files());
    described.addAll(source.lookups().values());
    // parallel: hashing gigabytes of GED files is I/O and one core each
    return described.parallelStream().map(Checksums::describe).toList();
  }

  /** Nothing to do if the published vintage came from the same files; refused if from others. */
  private SourceOutcome unchanged(IngestConfig.Source source, Partition existing, List<Manifest.InputFile> inputs) {
    // its data files must still be sound Parquet: a damaged partition is refused, not taken as done
    existing.verify();
    Manifest m = existing.manifest();
    if (!sameInputs(m, inputs)) {
      throw StageFailure.config(existing.id() + " is already published from other files (" + describe(m.inputs())
          + "); published vintages are never modified: give the new data a new vintage label (ingest.sources."
          + source.name() + ".vintage)");
    }
    LOG.info("{}: {} already published from the same files; nothing to do", source.name(), existing.id());
    String quarantine = warehouse.partition(source.dataset() + "_quarantine", source.vintage())
        .map(Partition::location).orElse(null);
    return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "unchanged", m.counts(),
        existing.location(), quarantine, m.warnings());
  }

  /**
   * A source's checked rows, split: {@code clean} as staged (read back), {@code rejected} by the
   * checks, {@code quarantine} (rejected and conflicting repeats), the clean rows' tally as first
   * staged (repeats included), the repeats dropped and those quarantined.
   */
  private record Split(Dataset<Row> clean, Dataset<Row> rejected, Dataset<Row> quarantine,
      Publication.Tally tally, long duplicates, long conflicts) {}

  private static Split split(IngestConfig.Source source, Publication out, SourceChecks.Checked c) {
    Dataset<Row> checked = out.hold(c.rows());
    Dataset<Row> clean = out.stage(
        checked.where(col(Typing.REASON).isNull()).select(SourceChecks.outputColumns(source, checked)));
    Dataset<Row> rejected = out.materialise("rejected", Quarantine.rows(checked, c.countryCode()));
    return new Split(clean, rejected, rejected, out.tally(clean, c.rules()), 0, 0);
  }

  /**
   * Rows that share the format's published key: identical repeats are dropped, conflicting ones
   * quarantined, and the staged rows rewritten without them. Rare; most sources have none.
   */
  private static Split withoutRepeats(IngestConfig.Source source, Publication out, Split split) {
    List<String> key = source.format().publishedKey();
    Dataset<Row> clean = split.clean();
    if (key.isEmpty() || !out.mayRepeat(clean, key)) {
      return split;
    }
    Dataset<Row> repeated = Duplicates.repeatedKeys(clean, key).cache();
    try {
      if (repeated.isEmpty()) {
        return split;
      }
      Dataset<Row> marked = out.materialise("marked",
          Duplicates.mark(clean, repeated, key, new HashSet<>(Countries.CANONICAL)));
      long duplicates = out.rowsOf(marked.where(col(Duplicates.DUPLICATE)));
      long conflicts = out.rowsOf(marked.where(col(Typing.REASON).isNotNull()));
      Dataset<Row> quarantine = split.rejected().unionByName(Quarantine.rows(marked, lit(null).cast("string")));
      Dataset<Row> kept = out.stage(marked.where(col(Typing.REASON).isNull().and(not(col(Duplicates.DUPLICATE))))
          .select(Arrays.stream(clean.columns()).map(c -> col(c)).toArray(Column[]::new)));
      return new Split(kept, split.rejected(), quarantine, split.tally(), duplicates, conflicts);
    } finally {
      repeated.unpersist();
    }
  }

  /**
   * Publishes the quarantine, the unmatched-country report if any code was unknown, and the dataset
   * last: its manifest is what makes the vintage exist for readers.
   */
  private SourceOutcome publish(IngestConfig.Source source, Publication out, Split split, SourceCounts counts,
      List<Manifest.InputFile> inputs, String started) {
    String finished = Instant.now().toString();
    Map<String, String> props = new TreeMap<>();
    props.put("source", source.name());
    props.put("format", source.format().name());
    props.put("encoding", source.encoding().name());
    // read by the panels: a sample's months without a record are unknown, not calm
    props.put(IngestAction.COVERAGE_PROPERTY, source.coverage());
    Dataset<Row> unmatched = null;
    if (counts.has(Quarantine.COUNT_PREFIX + "unknown_country")) {
      // held: its first codes go into the manifest, all of it into the report
      unmatched = out.unmatched(split.rejected(), source.format().country());
      List<String> codesSeen = unmatched.limit(50).collectAsList().stream()
          .map(r -> r.getString(0) + " (" + r.getLong(1) + ")").toList();
      if (!codesSeen.isEmpty()) {
        props.put("unmatched_countries", String.join(", ", codesSeen));
      }
    }
    Manifest base = new Manifest(source.dataset(), source.vintage(), "ingest", runId, inputs, List.of(),
        counts.counts(), counts.warnings(), config.codeVersion(), config.configHash(), started, finished, props);

    String quarantine = source.dataset() + "_quarantine";
    String report = source.dataset() + "_unmatched";
    warehouse.discardOrphan(quarantine, source.vintage(), source.dataset());
    warehouse.discardOrphan(report, source.vintage(), source.dataset());
    Partition q = out.publish(quarantine, split.quarantine().drop("country_code"), rename(base, quarantine));
    if (unmatched != null) {
      out.publish(report, unmatched, rename(base, report));
    }
    Partition p = out.publishStaged(base);
    return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "published", counts.counts(),
        p.location(), q.location(), counts.warnings());
  }

  private boolean isSmall(IngestConfig.Source source) {
    long bytes = 0;
    for (Path f : source.files()) {
      try {
        bytes += Files.size(f);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
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
