package org.ewarn.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * One published partition {@code <dataset>/vintage=<label>}: its manifest, and its data files,
 * read with the small reader ({@link #read()}) or by Spark from {@link #location()}. Any data file
 * that is not sound Parquet is refused as {@link WarehouseFailure.Kind#DAMAGED}.
 */
public final class Partition {
  private final Storage storage;
  private final String dataset;
  private final String vintage;
  private final Path dir;
  private final Manifest manifest;

  Partition(Storage storage, String dataset, String vintage, Path dir, Manifest manifest) {
    this.storage = storage;
    this.dataset = dataset;
    this.vintage = vintage;
    this.dir = dir;
    this.manifest = manifest;
  }

  public String dataset() {
    return dataset;
  }

  public String vintage() {
    return vintage;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** {@code dataset/vintage=label}, as manifests list their upstream partitions. */
  public String id() {
    return dataset + "/vintage=" + vintage;
  }

  /** The folder: a plain path on local disk, else a URI; what Spark reads and run records name. */
  public String location() {
    return storage.display(dir);
  }

  public URI uri() {
    return dir.toUri();
  }

  /** The Parquet data files, in name order (so row order is stable between runs). */
  public List<String> dataFiles() {
    return parquetFiles().stream().map(s -> storage.display(s.getPath())).toList();
  }

  List<FileStatus> parquetFiles() {
    return storage.statuses(dir).stream()
        .filter(s -> s.isFile() && s.getPath().getName().endsWith(".parquet") && !hidden(s.getPath().getName()))
        .toList();
  }

  static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** Every row, with the small reader (no Spark). */
  public Table read() {
    List<FileStatus> files = parquetFiles();
    try {
      return ParquetTables.read(storage, files);
    } catch (IOException | RuntimeException e) {
      throw damaged(e);
    }
  }

  /** The columns, from the first data file's footer; none if the partition has no data file. */
  public List<Column> columns() {
    List<FileStatus> files = parquetFiles();
    if (files.isEmpty()) {
      return List.of();
    }
    try {
      return ParquetTables.footer(storage, files.get(0)).columns();
    } catch (IOException | RuntimeException e) {
      throw damaged(e);
    }
  }

  /**
   * Reads every data file's footer and returns the rows they hold: cheap (no data pages), and what
   * a Spark reader calls first, so a truncated file is refused naming the partition instead of
   * failing inside a Spark task.
   */
  public long verify() {
    long rows = 0;
    for (FileStatus f : parquetFiles()) {
      try {
        rows += ParquetTables.footer(storage, f).rows();
      } catch (IOException | RuntimeException e) {
        throw damaged(new IOException(f.getPath().getName() + ": " + e.getMessage(), e));
      }
    }
    return rows;
  }

  /**
   * SHA-256 over the vintage label, the data files' bytes in name order and, if asked, the
   * manifest: what a report appendix records of the marts it read (deterministic, unlike a PDF).
   */
  public String contentSha256(boolean withManifest) {
    Checksums.Sha256 sha = new Checksums.Sha256().add(vintage);
    try {
      for (FileStatus f : parquetFiles()) {
        try (InputStream in = storage.fs.open(f.getPath())) {
          sha.add(in);
        }
      }
      if (withManifest) {
        sha.add(storage.read(new Path(dir, Warehouse.MANIFEST)).orElseThrow(
            () -> new IOException("its " + Warehouse.MANIFEST + " is gone")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read partition " + id() + " at " + location(), e);
    }
    return sha.hex();
  }

  /** SHA-256 of the {@code _MANIFEST.json} bytes as stored: what a report records of a mart it read for its manifest only. */
  public String manifestSha256() {
    return Checksums.sha256(storage.read(new Path(dir, Warehouse.MANIFEST)).orElseThrow(() -> new UncheckedIOException(
        "cannot read partition " + id() + " at " + location(), new IOException("its " + Warehouse.MANIFEST + " is gone"))));
  }

  private WarehouseFailure damaged(Exception e) {
    return WarehouseFailure.damaged(dataset, vintage, "a data file is not readable Parquet (" + e.getMessage()
        + ") at " + location(), e);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partition p && p.dir.equals(dir) && p.manifest.equals(manifest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, manifest);
  }

  @Override
  public String toString() {
    return id() + " at " + location();
  }
}
