package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

// kept for ingest until it moves onto the module (org.ewarn.warehouse; see warehouse/MIGRATION.md)
/**
 * The versioned Parquet warehouse: {@code <root>/<dataset>/vintage=<label>/part-*.parquet} plus
 * {@code _MANIFEST.json}. The only place that knows this layout. Partitions are immutable: they are
 * written under {@code _staging/} and renamed into place with their manifest in one atomic move, so
 * a reader sees a whole partition or none.
 */
public final class Warehouse {
  public static final String MANIFEST = "_MANIFEST.json";
  private static final String STAGING = "_staging";

  private final Path root;

  public Warehouse(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path partitionDir(String dataset, String vintage) {
    return root.resolve(dataset).resolve("vintage=" + vintage);
  }

  /** A published partition: it has a manifest. */
  public record Partition(String dataset, String vintage, Path dir, Manifest manifest) {}

  /**
   * The partition if published. A folder with Parquet files but no manifest, an unreadable manifest
   * or a Parquet file without its head and tail markers (truncated, overwritten) is refused as
   * damaged, naming dataset and partition, rather than taken as "not there" or read as empty:
   * publishing moves a folder complete with its manifest into place in one rename, so neither a
   * crash nor a kill leaves such a folder.
   */
  public Optional<Partition> published(String dataset, String vintage) {
    Path dir = partitionDir(dataset, vintage);
    Path manifest = dir.resolve(MANIFEST);
    List<Path> parquet = parquetFiles(dir);
    if (!Files.isRegularFile(manifest)) {
      if (!parquet.isEmpty()) {
        throw damaged(dataset, vintage, "it has " + parquet.size() + " Parquet file(s) but no " + MANIFEST, null);
      }
      return Optional.empty();
    }
    Manifest m;
    try {
      m = Manifest.read(manifest);
    } catch (UncheckedIOException e) {
      throw damaged(dataset, vintage, "its " + MANIFEST + " is unreadable (" + e.getCause().getMessage() + ")", e);
    }
    for (Path file : parquet) {
      String fault = parquetFault(file);
      if (fault != null) {
        throw damaged(dataset, vintage, file.getFileName() + " " + fault, null);
      }
    }
    return Optional.of(new Partition(dataset, vintage, dir, m));
  }

  private static StageFailure damaged(String dataset, String vintage, String why, Throwable cause) {
    return new StageFailure(ExitCode.FAILURE, "warehouse partition " + dataset + "/vintage=" + vintage
        + " is damaged: " + why + "; it is refused rather than read as empty. Restore it from a backup,"
        + " or remove the folder and re-run the stage that writes " + dataset, cause);
  }

  private static List<Path> parquetFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Why a file is not sound Parquet by its frame ("PAR1" at both ends, a footer that fits), or null. */
  static String parquetFault(Path file) {
    byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 12) {
        return "is truncated (" + size + " bytes, less than a Parquet file's frame)";
      }
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4);
      ch.read(head, 0);
      java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, size - 8);
      if (!java.util.Arrays.equals(head.array(), magic)) {
        return "does not start like Parquet (no PAR1 marker)";
      }
      if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail.array(), 4, 8), magic)) {
        return "is truncated or overwritten (no PAR1 marker at its end, " + size + " bytes)";
      }
      int footer = tail.getInt(0);
      if (footer <= 0 || footer > size - 12) {
        return "has a footer length (" + footer + ") that does not fit its " + size + " bytes";
      }
      return null;
    } catch (IOException e) {
      return "cannot be read (" + e.getMessage() + ")";
    }
  }

  /** Published partitions of a dataset, oldest first by their manifest's finish time. */
  public List<Partition> partitions(String dataset) {
    Path dir = root.resolve(dataset);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Partition> out = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, "vintage=*")) {
      for (Path child : children) {
        String vintage = child.getFileName().toString().substring("vintage=".length());
        published(dataset, vintage).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    out.sort(Comparator.comparing((Partition p) -> p.manifest().finished())
        .thenComparing(Partition::vintage));
    return out;
  }

  public Optional<Partition> latest(String dataset) {
    List<Partition> all = partitions(dataset);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  public Partition require(String dataset) {
    return latest(dataset)
        .orElseThrow(
            () ->
                new StageFailure(
                    ExitCode.FAILURE,
                    "dataset '"
                        + dataset
                        + "' has no published partition in "
                        + root
                        + "; run the stage that writes it first (e.g. ewarn ingest)"));
  }

  public Dataset<Row> read(SparkSession spark, Partition partition) {
    return spark.read().parquet(partition.dir().toString());
  }

  public Dataset<Row> readLatest(SparkSession spark, String dataset) {
    return read(spark, require(dataset));
  }

  /** Every published vintage of a dataset, each row tagged with its vintage label. */
  public Dataset<Row> readAllVintages(SparkSession spark, String dataset) {
    Dataset<Row> all = null;
    for (Partition p : partitions(dataset)) {
      Dataset<Row> one = read(spark, p).withColumn("vintage", org.apache.spark.sql.functions.lit(p.vintage()));
      all = all == null ? one : all.unionByName(one, true);
    }
    if (all == null) {
      require(dataset);
    }
    return all;
  }

  /**
   * Publishes one partition atomically. Refuses to replace a published partition: vintages are
   * immutable, so new data needs a new vintage label.
   */
  public Partition publish(String dataset, String vintage, Dataset<Row> rows, Manifest manifest) {
    return publish(dataset, vintage, manifest, staged -> rows.write().mode(SaveMode.ErrorIfExists)
        .option("compression", "zstd").parquet(staged.toString()));
  }

  /** Publishes files written by {@code writer} into the staging folder it is given. */
  public Partition publish(
      String dataset, String vintage, Manifest manifest, java.util.function.Consumer<Path> writer) {
    Path staged = stagingDir(manifest.runId(), dataset, vintage);
    refuseRepublish(dataset, vintage);
    try {
      deleteTree(staged);
      Files.createDirectories(staged.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + staged, e);
    }
    writer.accept(staged);
    return publishStaged(dataset, vintage, manifest);
  }

  /**
   * Writes rows into this run's staging folder of a partition and reads them back; nothing is
   * published until {@link #publishStaged}. For a writer that needs counts of what it wrote before
   * it can write the manifest. Staging again replaces what was staged.
   */
  public Dataset<Row> stage(SparkSession spark, String runId, String dataset, String vintage, Dataset<Row> rows) {
    refuseRepublish(dataset, vintage);
    Path staged = stagingDir(runId, dataset, vintage);
    Path next = staged.resolveSibling("vintage=" + vintage + ".next");
    try {
      deleteTree(next);
      Files.createDirectories(staged.getParent());
      // written beside, then swapped: rows may be computed from what is staged now
      rows.write().mode(SaveMode.ErrorIfExists).option("compression", "zstd").parquet(next.toString());
      deleteTree(staged);
      Files.createDirectories(staged.getParent());
      Files.move(next, staged);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage " + dataset + "/vintage=" + vintage, e);
    }
    return spark.read().parquet(staged.toString());
  }

  /** Publishes the files staged for a partition by this manifest's run, with the manifest. */
  public Partition publishStaged(String dataset, String vintage, Manifest manifest) {
    refuseRepublish(dataset, vintage);
    Path target = partitionDir(dataset, vintage);
    Path staged = stagingDir(manifest.runId(), dataset, vintage);
    try {
      Files.createDirectories(staged);
      Files.writeString(staged.resolve(MANIFEST), manifest.toJson(), StandardCharsets.UTF_8);
      Files.createDirectories(target.getParent());
      // A leftover folder without a manifest is an interrupted publish: it never existed for readers.
      deleteTree(target);
      moveAtomically(staged, target);
      deleteIfEmpty(staged.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + dataset + "/vintage=" + vintage, e);
    }
    return published(dataset, vintage).orElseThrow();
  }

  /** Only when empty: other vintages of the same dataset may be staging beside, in parallel. */
  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmpty) {
      // still in use; the run's staging is removed as a whole at its end
    }
  }

  private Path stagingDir(String runId, String dataset, String vintage) {
    return root.resolve(STAGING).resolve(runId).resolve(dataset).resolve("vintage=" + vintage);
  }

  private void refuseRepublish(String dataset, String vintage) {
    if (Files.exists(partitionDir(dataset, vintage).resolve(MANIFEST))) {
      throw new StageFailure(
          ExitCode.USAGE_OR_CONFIG,
          "partition " + dataset + "/vintage=" + vintage + " is already published and is never"
              + " modified; publish the new data under a new vintage label");
    }
  }

  /**
   * Removes a companion partition (quarantine, report) left by a run that died before publishing
   * the partition it belongs to: without its owner it never existed, so it may be written again.
   */
  public void discardOrphan(String companion, String vintage, String owner) {
    if (published(owner, vintage).isPresent()) {
      throw new IllegalStateException(companion + " belongs to the published " + owner + "/vintage=" + vintage);
    }
    try {
      deleteTree(partitionDir(companion, vintage));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + partitionDir(companion, vintage), e);
    }
  }

  /**
   * Writes {@code rows} once to this run's scratch area and reads them back, so a costly pipeline
   * (parsing millions of CSV records) runs once however many outputs and counts are taken from it.
   */
  public Dataset<Row> materialise(SparkSession spark, String runId, String name, Dataset<Row> rows) {
    Path dir = root.resolve(STAGING).resolve(runId).resolve("_work").resolve(name);
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
    // Read back once or twice and then deleted: fast beats small (no dictionaries, lz4).
    rows.write().option("compression", "lz4").option("parquet.enable.dictionary", "false")
        .parquet(dir.toString());
    return spark.read().parquet(dir.toString());
  }

  /** Removes this run's scratch and staging folders (after publishing, or after a failure). */
  public void discardStaging(String runId) {
    try {
      deleteTree(root.resolve(STAGING).resolve(runId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove staging of run " + runId, e);
    }
  }

  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new StageFailure(ExitCode.FAILURE, "another run published " + to + " at the same time");
    } catch (AtomicMoveNotSupportedException e) {
      throw new StageFailure(ExitCode.FAILURE,
          "the warehouse file system cannot rename " + from + " to " + to + " atomically");
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
