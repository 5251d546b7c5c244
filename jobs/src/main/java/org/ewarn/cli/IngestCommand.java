package org.ewarn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.ingest.IngestAction;
import org.ewarn.ingest.IngestConfig;
import org.ewarn.io.SparkMarts;
import org.ewarn.io.Warehouse;
import org.ewarn.run.StageFailure;
import org.ewarn.run.RunSummary;
import org.ewarn.run.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Load conflict and atrocity data into the versioned Parquet warehouse.",
      "",
      "Reads the sources configured under ingest.sources (conf/ingest.conf) and publishes each as",
      "<warehouse.root>/<dataset>/vintage=<label>/ with a _MANIFEST.json, a <dataset>_quarantine",
      "of rejected rows with reason codes, and a <dataset>_unmatched report of unknown country",
      "codes. Re-ingesting a published vintage from the same files does nothing; new data needs",
      "a new vintage label. Exit 3 when a source fails its data-quality gate (quality.conf)."
    })
final class IngestCommand extends StageCommand {
  @Option(names = "--source", paramLabel = "NAME",
      description = "Only this source (repeatable); default: every configured source.")
  List<String> only = List.of();

  @Override
  RunSummary execute(Settings settings, String runId) {
    String root = settings.location("warehouse.root");
    if (Settings.isUri(root)) {
      return ontoStore(settings, runId, root);
    }
    IngestConfig config = IngestConfig.from(settings, new LinkedHashSet<>(only));
    Warehouse warehouse = new Warehouse(config.warehouse());
    SparkSession spark = SparkSessions.start(settings.sparkProfile(), "ewarn ingest");
    IngestAction.Result result;
    try {
      result = new IngestAction(spark, warehouse, config, runId).execute();
    } catch (IngestAction.GateFailed e) {
      printTable(e.result());
      throw e;
    }
    printTable(result);
    return summary(runId, result, UnaryOperator.identity());
  }

  /**
   * A warehouse on another store (HDFS, an object store), until ingest writes through the
   * warehouse module (warehouse/MIGRATION.md): the sources are ingested into a local work
   * warehouse, and its partitions are published onto the store as they are (same files, same
   * manifests; one already there from the same files is left alone, from other files refused as
   * before). The stage then costs a full parse whenever the nightly runs it.
   */
  private RunSummary ontoStore(Settings settings, String runId, String root) {
    Path work;
    try {
      work = Files.createTempDirectory("ewarn-ingest-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a local work warehouse for ingest", e);
    }
    SparkSession spark = SparkSessions.start(settings.sparkProfile(), "ewarn ingest");
    org.ewarn.warehouse.Warehouse store = SparkMarts.open(spark, root);
    try {
      IngestConfig config = IngestConfig.from(settings.with("warehouse.root", work.toString()),
          new LinkedHashSet<>(only));
      IngestAction.Result result;
      try {
        result = new IngestAction(spark, new Warehouse(work), config, runId).execute();
      } catch (IngestAction.GateFailed e) {
        publishOnto(store, work, runId, spark);
        printTable(e.result());
        throw e;
      }
      Map<String, String> onStore = publishOnto(store, work, runId, spark);
      printTable(result);
      return summary(runId, result, local -> onStore.getOrDefault(local, local));
    } finally {
      store.discardStaging(runId);
      org.apache.hadoop.fs.FileUtil.fullyDelete(work.toFile());
    }
  }

  /** Publishes every partition of the local work warehouse onto the store; local location → store location. */
  private static Map<String, String> publishOnto(org.ewarn.warehouse.Warehouse store, Path work, String runId,
      SparkSession spark) {
    org.ewarn.warehouse.Warehouse local = org.ewarn.warehouse.Warehouse.open(work.toString());
    Map<String, String> moved = new HashMap<>();
    for (String dataset : local.datasets()) {
      for (org.ewarn.warehouse.Partition p : local.partitions(dataset)) {
        var there = store.partition(dataset, p.vintage());
        if (there.isPresent() && !inputs(there.get()).equals(inputs(p))) {
          throw StageFailure.config(p.id() + " is already published on " + store.describe() + " from other files;"
              + " published vintages are never modified: give the new data a new vintage label");
        }
        moved.put(p.location(), there.orElseGet(() -> copy(store, p, runId, spark)).location());
      }
    }
    return moved;
  }

  private static List<String> inputs(org.ewarn.warehouse.Partition p) {
    return p.manifest().inputs().stream().map(org.ewarn.warehouse.Manifest.InputFile::sha256).sorted().toList();
  }

  private static org.ewarn.warehouse.Partition copy(org.ewarn.warehouse.Warehouse store,
      org.ewarn.warehouse.Partition p, String runId, SparkSession spark) {
    org.ewarn.warehouse.Staged staged = store.stage(runId, p.dataset(), p.vintage());
    try {
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(staged.location());
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(target);
      for (String file : p.dataFiles()) {
        Path local = Path.of(file);
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()),
            new org.apache.hadoop.fs.Path(target, local.getFileName().toString()));
      }
      return staged.publish(p.manifest());
    } catch (IOException | RuntimeException e) {
      staged.abandon();
      throw e instanceof IOException io ? new UncheckedIOException("cannot publish " + p.id() + " on "
          + store.describe(), io) : (RuntimeException) e;
    }
  }

  static RunSummary summary(String runId, IngestAction.Result result, UnaryOperator<String> location) {
    Map<String, String> outputs = new LinkedHashMap<>();
    result.crosswalks().forEach((k, v) -> outputs.put(k, location.apply(v.toString())));
    Map<String, Long> counts = new LinkedHashMap<>();
    for (IngestAction.SourceOutcome o : result.sources()) {
      if (o.partition() != null) {
        outputs.put(o.dataset() + "@" + o.vintage(), location.apply(o.partition().toString()));
        outputs.put(o.dataset() + "_quarantine@" + o.vintage(), location.apply(o.quarantine().toString()));
      }
    }
    for (String c : List.of("rows_read", "accepted", "quarantined", "duplicates")) {
      counts.put(c, result.total(c));
    }
    counts.put("sources", (long) result.sources().size());
    counts.put("sources_published", result.sources().stream().filter(o -> o.status().equals("published")).count());
    counts.put("sources_unchanged", result.sources().stream().filter(o -> o.status().equals("unchanged")).count());
    return RunSummary.ok("ingest", runId, outputs, counts);
  }

  private static void printTable(IngestAction.Result result) {
    System.err.printf("%-28s %-26s %-10s %-20s %9s %9s %9s %6s%n", "source", "dataset", "vintage",
        "status", "read", "accepted", "quarant.", "dupl.");
    for (IngestAction.SourceOutcome o : result.sources()) {
      System.err.printf("%-28s %-26s %-10s %-20s %9d %9d %9d %6d%n", o.source(), o.dataset(), o.vintage(),
          o.status(), o.counts().getOrDefault("rows_read", 0L), o.counts().getOrDefault("accepted", 0L),
          o.counts().getOrDefault("quarantined", 0L), o.counts().getOrDefault("duplicates", 0L));
    }
  }
}
