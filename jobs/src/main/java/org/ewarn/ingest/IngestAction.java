package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ewarn.io.Checksums;
import org.ewarn.io.DelimitedFiles;
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
      Dataset<Row> codes = crosswalks(crosswalkPaths);
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
    return inParallel(config.sources(), source -> {
      SourceOutcome o = ingest(source, codes);
      progress.done(source.name());
      return o;
    });
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

  // ---- crosswalks ----

  private Dataset<Row> crosswalks(Map<String, Path> paths) {
    IngestConfig.Crosswalks xw = config.crosswalks();
    String v = xw.vintage();
    List<IngestConfig.Source> inputs = List.of(
        crosswalkSource("crosswalk-countrycode", "xw_countrycode", "countrycode", v, xw.countrycode()),
        crosswalkSource("crosswalk-gw-states", "xw_gw_states", "gw-states", v, xw.gwStates()),
        crosswalkSource("crosswalk-cow-states", "xw_cow_states", "cow-states", v, xw.cowStates()),
        crosswalkSource("crosswalk-iso-m49", "xw_iso_m49", "iso-m49", v, xw.isoM49()));
    // independent of each other: ingested side by side like the sources
    List<SourceOutcome> loaded = inParallel(inputs, s -> ingest(s, null));
    for (int i = 0; i < inputs.size(); i++) {
      SourceOutcome o = loaded.get(i);
      if (!o.status().equals("published") && !o.status().equals("unchanged")) {
        throw new StageFailure(ExitCode.QUALITY_GATE,
            "crosswalk " + inputs.get(i).files().get(0) + " failed its checks: " + o.warnings());
      }
    }
    Dataset<Row> countrycode = warehouse.read(spark, warehouse.published("xw_countrycode", v).orElseThrow());
    Dataset<Row> gw = warehouse.read(spark, warehouse.published("xw_gw_states", v).orElseThrow());
    Dataset<Row> cow = warehouse.read(spark, warehouse.published("xw_cow_states", v).orElseThrow());
    Dataset<Row> m49 = warehouse.read(spark, warehouse.published("xw_iso_m49", v).orElseThrow());

    List<Manifest.InputFile> files = new ArrayList<>();
    for (IngestConfig.Source s : inputs) {
      files.add(Checksums.describe(s.files().get(0)));
    }
    files.add(Checksums.describe(xw.aliases()));

    Dataset<Row> countries = derived("countries", v, files, () -> Countries.table(countrycode, gw, cow, m49, xw.overrides()));
    Dataset<Row> aliases = aliases(xw.aliases());
    Dataset<Row> codes = derived("country_codes", v, files, () -> Countries.codes(countries, aliases));
    derived("gw_states", v, files, () -> gw.select(col("gwcode").as("gw_code"), col("gwc"),
        col("country_name").as("country"), col("start"), col("end"), col("microstate")));
    for (String d : List.of("countries", "country_codes", "gw_states")) {
      paths.put(d, warehouse.partitionDir(d, v));
    }
    return codes.cache();
  }

  private Dataset<Row> aliases(Path file) {
    // EWP's own spellings (ewp_name) let name-keyed sources and external forecasts match.
    String[] header = DelimitedFiles.header(file, java.nio.charset.StandardCharsets.UTF_8, ',');
    List<String> names = new ArrayList<>();
    for (String h : header) {
      names.add(SourceFormat.normalise(h));
    }
    int[] pos = {names.indexOf("ccode"), names.indexOf("country"), names.indexOf("ewp_name")};
    if (pos[0] < 0) {
      throw StageFailure.config("ingest.crosswalks.aliases: " + file + " needs a ccode column");
    }
    Dataset<Row> raw = DelimitedFiles.records(spark, List.of(new DelimitedFiles.FileLayout(
        file.toString(), "UTF-8", ',', header.length, pos)), DelimitedFiles.RAW);
    Column code = col("values").getItem(0).try_cast("double").cast("int");
    return raw.select(code.as("cow_code"), col("values").getItem(1).as("alias"))
        .unionByName(raw.select(code.as("cow_code"), col("values").getItem(2).as("alias")))
        .where(col("alias").isNotNull().and(col("cow_code").isNotNull()));
  }

  private Dataset<Row> derived(String dataset, String vintage, List<Manifest.InputFile> inputs,
      java.util.function.Supplier<Dataset<Row>> build) {
    var existing = warehouse.published(dataset, vintage);
    if (existing.isPresent() && sameInputs(existing.get().manifest(), inputs)) {
      return warehouse.read(spark, existing.get());
    }
    String started = Instant.now().toString();
    // a few hundred rows: held in memory between the count and the write, not written to scratch
    // (nullable like rows read back from it, so the published Parquet schema stays the same)
    Dataset<Row> rows = nullable(build.get()).cache();
    try {
      long n = rows.count();
      Manifest m = new Manifest(dataset, vintage, "ingest", runId, inputs, List.of("xw_countrycode",
          "xw_gw_states", "xw_cow_states", "xw_iso_m49"), Map.of("rows", n), List.of(),
          config.codeVersion(), config.configHash(), started, Instant.now().toString(), Map.of());
      return warehouse.read(spark, warehouse.publish(dataset, vintage, rows, m));
    } finally {
      rows.unpersist();
    }
  }

  private static IngestConfig.Source crosswalkSource(String name, String dataset, String format, String vintage, Path file) {
    return new IngestConfig.Source(name, dataset, SourceFormat.named(format), vintage, List.of(file),
        java.nio.charset.StandardCharsets.UTF_8, ',');
  }

  // ---- one source ----

  private SourceOutcome ingest(IngestConfig.Source source, Dataset<Row> codes) {
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
    Map<Path, String[]> headers = new LinkedHashMap<>();
    for (Path f : source.files()) {
      headers.put(f, DelimitedFiles.header(f, source.encoding(), source.delimiter()));
    }
    ColumnPlan plan = ColumnPlan.of(source.name(), source.format(), headers);
    List<DelimitedFiles.FileLayout> layouts = new ArrayList<>();
    for (Path f : source.files()) {
      layouts.add(new DelimitedFiles.FileLayout(f.toString(), source.encoding().name(),
          source.delimiter(), plan.headerCounts().get(f), plan.positions().get(f)));
    }
    Dataset<Row> rows = DelimitedFiles.records(spark, layouts,
        Typing.shape(plan.columns(), source.format().notNull(), config.nullTokens()));
    boolean small = isSmall(source);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      long absent = 0;
      if (!source.format().absentWhenNull().isEmpty()) {
        Column none = col(Typing.REASON).isNull();
        for (String c : source.format().absentWhenNull()) {
          none = none.and(col(c).isNull());
        }
        // one more pass over the typed rows, only for the formats that write non-records (VIEWS);
        // a small source's rows are parsed once for it and the passes below
        if (small) {
          rows = rows.cache();
          cached.add(rows);
        }
        absent = rows.where(none).count();
        rows = rows.where(not(none));
      }
      Dataset<Row> sourceCodes = codes;
      if (source.format().country() != null && source.format().country().system().equals(ViewsLookups.SYSTEM)) {
        rows = ViewsLookups.withMonths(rows, lookupTable(source, "months", "month_id", "year", "month"));
        sourceCodes = codes.unionByName(ViewsLookups.codes(spark,
            lookupTable(source, "countries", "country_id", "isoab"), codes, source.countryOverrides()));
      }
      if (source.format().country() != null) {
        rows = Countries.harmonise(rows, source.format().country(), sourceCodes);
      }
      List<QualityRules.Rule> rules = config.rules(source);
      QualityRules.requireColumns(rules, List.of(rows.columns()),
          "format " + source.format().name() + ", dataset " + source.dataset() + ", source " + source.name());
      Dataset<Row> checked = Typing.withRawForRejected(QualityRules.apply(rows, rules));
      if (small) {
        checked = checked.cache();
        cached.add(checked);
      }

      // A large source: two reads of the files instead of a scratch copy of every row: parsing is
      // cheaper than writing and re-reading millions of wide rows. The first writes the clean rows
      // once, in their published shape, to the staging folder; the second keeps only the few
      // rejected ones. A small source (megabytes) is parsed and checked once into memory and both
      // come from there: for it, each extra pass and scratch write was mostly Spark job overhead.
      String scratch = source.dataset() + "-" + source.name();
      Dataset<Row> clean = warehouse.stage(spark, runId, source.dataset(), source.vintage(),
          checked.where(col(Typing.REASON).isNull()).select(outputColumns(source, checked)));
      Dataset<Row> rejectedRows =
          quarantineRows(checked, source.format().country() == null ? lit(null).cast("string") : col("_country_code"));
      Dataset<Row> rejected = small ? nullable(rejectedRows)
          : warehouse.materialise(spark, runId, scratch + "-rejected", rejectedRows);
      // the row count and the warning tallies (over the clean rows as read, identical repeats
      // included) in one pass
      List<Column> tallies = QualityRules.warningTallyColumns(rules);
      Row t = clean.agg(count(lit(1)).as("_rows"), tallies.toArray(Column[]::new)).first();
      long cleanRows = t.getLong(0);
      Map<String, Long> warned = new LinkedHashMap<>();
      for (int i = 1; i < t.size(); i++) {
        warned.put(t.schema().fieldNames()[i], t.isNullAt(i) ? 0L : t.getLong(i));
      }

      long duplicates = 0;
      long conflicts = 0;
      Dataset<Row> bad = rejected;
      List<String> key = source.format().publishedKey();
      if (!key.isEmpty()) {
        Dataset<Row> repeated = Duplicates.repeatedKeys(clean, key).cache();
        if (!repeated.isEmpty()) {
          // Rare: rewrite the staged rows without the repeats, which are dropped or quarantined.
          Dataset<Row> marked = warehouse.materialise(spark, runId, scratch + "-marked",
              Duplicates.mark(clean, repeated, key, new HashSet<>(Countries.CANONICAL)));
          duplicates = marked.where(col(Duplicates.DUPLICATE)).count();
          conflicts = marked.where(col(Typing.REASON).isNotNull()).count();
          bad = rejected.unionByName(quarantineRows(marked, lit(null).cast("string")));
          clean = warehouse.stage(spark, runId, source.dataset(), source.vintage(),
              marked.where(col(Typing.REASON).isNull().and(not(col(Duplicates.DUPLICATE))))
                  .select(Arrays.stream(clean.columns()).map(c -> col(c)).toArray(Column[]::new)));
        }
        repeated.unpersist();
      }

      Map<String, Long> counts = new TreeMap<>();
      long quarantined = 0;
      for (Row r : bad.groupBy("reason").count().collectAsList()) {
        quarantined += r.getLong(1);
        counts.put("quarantined." + r.getString(0), r.getLong(1));
      }
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
            100 * rate, read, 100 * limit, reasonCounts(counts)));
        return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "quality_gate_failed",
            counts, null, null, warnings);
      }

      String finished = Instant.now().toString();
      Map<String, String> props = new TreeMap<>();
      props.put("source", source.name());
      props.put("format", source.format().name());
      props.put("encoding", source.encoding().name());
      // read by the panels: a sample's months without a record are unknown, not calm
      props.put(COVERAGE_PROPERTY, source.coverage());
      Dataset<Row> unmatched = null;
      if (counts.containsKey("quarantined.unknown_country")) {
        unmatched = rejected.where(col("reason").equalTo("unknown_country"))
            .groupBy(col("country_code").as("code"))
            .agg(count(lit(1)).as("rows"), min(col("source_line")).as("first_line"))
            .withColumn("system", lit(source.format().country().system()))
            .withColumn("column", lit(source.format().country().column()))
            .orderBy(col("rows").desc(), col("code"));
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
      Warehouse.Partition q = warehouse.publish(source.dataset() + "_quarantine", source.vintage(),
          bad.drop("country_code"), rename(base, source.dataset() + "_quarantine"));
      if (unmatched != null) {
        warehouse.publish(source.dataset() + "_unmatched", source.vintage(), unmatched,
            rename(base, source.dataset() + "_unmatched"));
      }
      // The dataset itself last: its manifest is what makes the vintage exist for readers.
      Warehouse.Partition p = warehouse.publishStaged(source.dataset(), source.vintage(), base);
      return new SourceOutcome(source.name(), source.dataset(), source.vintage(), "published", counts,
          p.dir(), q.dir(), warnings);
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

  /**
   * The rows with every column nullable, as rows read back from scratch Parquet are: the quarantine's
   * Parquet schema (source_file, source_line optional) stays the same whichever path wrote it.
   */
  private static Dataset<Row> nullable(Dataset<Row> rows) {
    StructField[] fields = Arrays.stream(rows.schema().fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new);
    // not Dataset.to(schema): it keeps a column that cannot be null required
    return rows.sparkSession().createDataFrame(rows.javaRDD(), new StructType(fields));
  }

  /** The quarantine's columns of the rejected ones of {@code rows}, with the code the crosswalk lacked. */
  private static Dataset<Row> quarantineRows(Dataset<Row> rows, Column countryCode) {
    return rows.where(col(Typing.REASON).isNotNull()).select(col("source_file"), col("source_line"),
        col(Typing.RAW).as("raw"), col(Typing.REASON).as("reason"), col(Typing.MESSAGE).as("message"),
        countryCode.as("country_code"));
  }

  /** A lookup file of the source as a table of text columns (the columns it must have). */
  private Dataset<Row> lookupTable(IngestConfig.Source source, String lookup, String... columns) {
    Path file = source.lookups().get(lookup);
    String[] header = DelimitedFiles.header(file, source.encoding(), source.delimiter());
    List<String> names = header == null ? List.of() : Arrays.stream(header).map(SourceFormat::normalise).toList();
    int[] pos = Arrays.stream(columns).mapToInt(names::indexOf).toArray();
    List<String> missing = Arrays.stream(columns).filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw StageFailure.config("lookup " + file + " (ingest.sources." + source.name() + ".lookups." + lookup
          + ") lacks columns " + missing + "; it has " + names);
    }
    Dataset<Row> raw = DelimitedFiles.records(spark, List.of(new DelimitedFiles.FileLayout(
        file.toString(), source.encoding().name(), source.delimiter(), header.length, pos)), DelimitedFiles.RAW);
    Column[] out = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = col("values").getItem(i).as(columns[i]);
    }
    return raw.select(out);
  }

  private Column[] outputColumns(IngestConfig.Source source, Dataset<Row> validated) {
    Set<String> present = new HashSet<>(List.of(validated.columns()));
    List<Column> out = new ArrayList<>();
    if (!source.format().published().isEmpty()) {
      source.format().published().forEach((name, from) ->
          out.add(col(present.contains("source_" + from) ? "source_" + from : from).as(name)));
      Countries.CANONICAL.forEach(c -> out.add(col(c)));
      out.add(col("source_file"));
      out.add(col("source_line"));
      return out.toArray(Column[]::new);
    }
    Map<String, DataType> order = source.format().conformTo() != null
        ? SourceFormat.named(source.format().conformTo()).columns()
        : source.format().columns();
    Set<String> done = new HashSet<>();
    for (Map.Entry<String, DataType> e : order.entrySet()) {
      // a source column named like a canonical key was renamed source_<name> by harmonisation
      String name = present.contains("source_" + e.getKey()) ? "source_" + e.getKey()
          : present.contains(e.getKey()) ? e.getKey() : null;
      if (name != null) {
        out.add(col(name));
        done.add(name);
      } else {
        // a column of the newer schema this older file lacks: typed null, so vintages union cleanly
        out.add(lit(null).cast(e.getValue()).as(e.getKey()));
        done.add(e.getKey());
      }
    }
    for (String c : validated.columns()) {
      if (!done.contains(c) && !c.startsWith("_") && !c.equals("source_file") && !c.equals("source_line")
          && !Countries.CANONICAL.contains(c)) {
        out.add(col(c));
      }
    }
    if (source.format().country() != null) {
      Countries.CANONICAL.forEach(c -> out.add(col(c)));
    }
    out.add(col("source_file"));
    out.add(col("source_line"));
    return out.toArray(Column[]::new);
  }

  private static Manifest rename(Manifest m, String dataset) {
    return new Manifest(dataset, m.vintage(), m.stage(), m.runId(), m.inputs(), List.of(m.dataset()),
        m.counts(), m.warnings(), m.codeVersion(), m.configHash(), m.started(), m.finished(), m.properties());
  }

  private static boolean sameInputs(Manifest m, List<Manifest.InputFile> inputs) {
    return m.inputs().stream().map(Manifest.InputFile::sha256).sorted().toList()
        .equals(inputs.stream().map(Manifest.InputFile::sha256).sorted().toList());
  }

  private static String describe(List<Manifest.InputFile> files) {
    return String.join(", ", files.stream().map(f -> f.path() + " sha256 " + f.sha256().substring(0, 12)).toList());
  }

  private static String reasonCounts(Map<String, Long> counts) {
    Map<String, Long> by = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith("quarantined.")) {
        by.put(k.substring("quarantined.".length()), v);
      }
    });
    return by.toString();
  }
}
