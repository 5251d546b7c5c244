package org.ewarn.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * One partition being written by one run. Writers (Spark, or {@link #writeTable}) put part files
 * into {@link #location()}, which does not exist until they write it; {@link #publish} then makes
 * the partition visible whole:
 *
 * <ul>
 *   <li>{@link Storage.Commit#RENAME} (local disk, HDFS): the files are staged under
 *       {@code _staging/<run>/<dataset>/vintage=<v>/}; the manifest is written beside them and the
 *       folder renamed into place in one atomic step.
 *   <li>{@link Storage.Commit#MANIFEST_LAST} (object stores): a mark
 *       {@code _staging/<run>/<dataset>/vintage=<v>.publishing} is written first, the files go
 *       straight into the partition folder, the manifest is written last (one object), then the
 *       mark is removed. Readers ignore a marked folder without manifest; an unmarked one is damage.
 * </ul>
 */
public final class Staged {
  private final Warehouse warehouse;
  private final Storage storage;
  private final String runId;
  private final String dataset;
  private final String vintage;
  private final Path target;
  private final Path location;
  private final Path mark;

  private Staged(Warehouse warehouse, String runId, String dataset, String vintage, Path location, Path mark) {
    this.warehouse = warehouse;
    this.storage = warehouse.storage();
    this.runId = runId;
    this.dataset = dataset;
    this.vintage = vintage;
    this.target = warehouse.partitionPath(dataset, vintage);
    this.location = location;
    this.mark = mark;
  }

  static Staged begin(Warehouse warehouse, String runId, String dataset, String vintage) {
    Storage storage = warehouse.storage();
    try {
      if (storage.commit() == Storage.Commit.RENAME) {
        Path staged = storage.path(warehouse.stagingOf(runId, dataset, vintage));
        storage.deleteTree(staged);
        storage.mkdirs(staged.getParent());
        return new Staged(warehouse, runId, dataset, vintage, staged, null);
      }
      Path mark = storage.path(warehouse.markerOf(runId, dataset, vintage));
      Path target = warehouse.partitionPath(dataset, vintage);
      storage.write(mark, storage.display(target).getBytes(StandardCharsets.UTF_8), true);
      // what a killed attempt left (it has no manifest: refuseRepublish saw to that)
      storage.deleteTree(target);
      storage.mkdirs(target.getParent());
      return new Staged(warehouse, runId, dataset, vintage, target, mark);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dataset + "/vintage=" + vintage, e);
    }
  }

  /** Where the part files go (a plain path on local disk, else a URI); Spark writes here. */
  public String location() {
    return storage.display(location);
  }

  Path path() {
    return location;
  }

  public String dataset() {
    return dataset;
  }

  public String vintage() {
    return vintage;
  }

  /** Writes a small table as the partition's one data file, {@code part-00000.zstd.parquet}. */
  public void writeTable(Table table) {
    Path file = new Path(location, ParquetTables.FILE);
    try {
      storage.mkdirs(location);
      ParquetTables.write(storage, file, table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + storage.display(file), e);
    }
  }

  /**
   * Replaces what is staged by what {@code writer} writes into the fresh folder it is given, for
   * rows computed from what is staged now (they are read while the replacement is written).
   */
  public void replace(Consumer<String> writer) {
    Path next = storage.path(warehouse.stagingOf(runId, dataset, vintage) + ".next");
    storage.deleteTree(next);
    writer.accept(storage.display(next));
    storage.deleteTree(location);
    if (storage.commit() == Storage.Commit.RENAME) {
      if (!storage.moveFolder(next, location)) {
        throw new UncheckedIOException(new IOException("cannot move " + storage.display(next) + " to " + location()));
      }
    } else {
      storage.copyFolder(next, location);
      storage.deleteTree(next);
    }
  }

  /** Publishes what was written, with its manifest; the partition is then immutable. */
  public Partition publish(Manifest manifest) {
    warehouse.refuseRepublish(dataset, vintage);
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    try {
      storage.mkdirs(location);
      if (mark == null) {
        storage.write(new Path(location, Warehouse.MANIFEST), json, true);
        if (!storage.moveFolder(location, target)) {
          throw concurrent();
        }
        storage.deleteIfEmpty(location.getParent());
      } else {
        if (!storage.createNew(new Path(target, Warehouse.MANIFEST), json)) {
          throw concurrent();
        }
        storage.deleteTree(mark);
        storage.deleteIfEmpty(mark.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + dataset + "/vintage=" + vintage, e);
    }
    return warehouse.partition(dataset, vintage).orElseThrow();
  }

  /** Drops what was written (after a failure); nothing was visible. */
  public void abandon() {
    if (mark == null) {
      storage.deleteTree(location);
    } else if (warehouse.partition(dataset, vintage).isEmpty()) {
      storage.deleteTree(target);
      storage.deleteTree(mark);
    }
  }

  private WarehouseFailure concurrent() {
    return new WarehouseFailure(WarehouseFailure.Kind.CONCURRENT_PUBLISH,
        "another run published " + dataset + "/vintage=" + vintage + " at " + storage.display(target)
            + " while run " + runId + " was writing it");
  }
}
