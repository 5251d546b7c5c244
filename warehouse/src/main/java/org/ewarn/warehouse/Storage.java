package org.ewarn.warehouse;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.StandardOpenOption;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One folder tree on a Hadoop file system (local disk, HDFS, an object store through its
 * connector), with the few primitives publication needs done the strongest way the store allows:
 * replacing a small file so a reader sees the old bytes or the new, creating a file only if absent,
 * moving a folder into place. Paths are relative to the root, {@code /}-separated.
 *
 * <p>{@link Commit#RENAME} stores (local disk, HDFS) publish by an atomic rename;
 * {@link Commit#MANIFEST_LAST} stores (object stores, whose rename is a copy) never rename: data
 * is written in place and a single-object write (a manifest, a pointer) makes it visible.
 */
public final class Storage {
  /** How a store makes a folder of files visible at once. */
  public enum Commit {
    RENAME,
    MANIFEST_LAST
  }

  /** Hadoop configuration key that overrides the scheme's default: {@code rename} or {@code manifest-last}. */
  public static final String COMMIT_KEY = "ewarn.warehouse.commit";

  /** Schemes whose directory rename is atomic in the NameNode (or the local kernel). */
  private static final Set<String> RENAME_SCHEMES = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs", "ofs");

  final FileSystem fs;
  final Configuration conf;
  private final Path root;
  private final Commit commit;
  private final boolean local;
  private final Primitives primitives;

  private Storage(FileSystem fs, Configuration conf, Path root, Commit commit) {
    this.fs = fs;
    this.conf = conf;
    this.root = root;
    this.commit = commit;
    this.local = "file".equals(root.toUri().getScheme());
    this.primitives = Primitives.of(this, local, commit);
  }

  /** A URI ({@code hdfs://nn/ewarn}, {@code s3a://bucket/ewarn}, {@code file:/x}) or a local path. */
  public static Storage open(String location) {
    return open(location, new Configuration());
  }

  /** With the Hadoop configuration of the session (Spark's {@code hadoopConfiguration()}). */
  public static Storage open(String location, Configuration conf) {
    return open(location, conf, null);
  }

  /** {@code commit} null: {@link #COMMIT_KEY} if set, else by the URI's scheme. */
  public static Storage open(String location, Configuration conf, Commit commit) {
    URI uri = toUri(location);
    try {
      FileSystem fs;
      if ("file".equals(uri.getScheme())) {
        // Our own instance: checksums of Spark's .crc files are verified on read, but none are
        // written for our files (as before), and Spark's shared instance keeps writing its own.
        LocalFileSystem local = new LocalFileSystem();
        local.initialize(URI.create("file:///"), conf);
        local.setWriteChecksum(false);
        fs = local;
      } else {
        fs = FileSystem.get(uri, conf);
      }
      Path root = fs.makeQualified(new Path(uri));
      return new Storage(fs, conf, root, commit != null ? commit : commitFor(root.toUri().getScheme(), conf));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + location, e);
    }
  }

  static Commit commitFor(String scheme, Configuration conf) {
    String configured = conf.getTrimmed(COMMIT_KEY, "");
    switch (configured.toLowerCase(Locale.ROOT)) {
      case "rename":
        return Commit.RENAME;
      case "manifest-last":
        return Commit.MANIFEST_LAST;
      case "":
        return RENAME_SCHEMES.contains(scheme) ? Commit.RENAME : Commit.MANIFEST_LAST;
      default:
        throw new IllegalArgumentException(COMMIT_KEY + " is '" + configured + "': expected rename or manifest-last");
    }
  }

  static URI toUri(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a storage location is empty");
    }
    // "C:\x" is a path, "hdfs://x" and "file:/x" are URIs
    if (location.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      return URI.create(location);
    }
    // toUri() ends an existing folder with '/': without it, messages name the folder as written
    String uri = java.nio.file.Path.of(location).toAbsolutePath().normalize().toUri().toString();
    return URI.create(uri.length() > "file:///".length() && uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
  }

  /** The same store, rooted at a folder below this root. */
  public Storage at(String relative) {
    return new Storage(fs, conf, path(relative), commit);
  }

  public URI root() {
    return root.toUri();
  }

  /** The Hadoop configuration it was opened with, to open other locations the same way. */
  public Configuration configuration() {
    return conf;
  }

  public Commit commit() {
    return commit;
  }

  /** How a location is shown and recorded: a plain path on local disk (as before), else the URI. */
  public String location(String relative) {
    return display(path(relative));
  }

  String display(Path p) {
    return local ? p.toUri().getPath() : p.toString();
  }

  Path path(String relative) {
    if (relative == null || relative.isEmpty()) {
      return root;
    }
    if (relative.startsWith("/") || relative.contains("..") || relative.contains(":")) {
      throw new IllegalArgumentException("'" + relative + "' is not a relative location below " + root);
    }
    return new Path(root, relative);
  }

  // ---- reading ----

  public boolean exists(String relative) {
    try {
      return fs.exists(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up " + location(relative), e);
    }
  }

  /** Names of the entries of a folder, sorted; none if it does not exist. */
  public List<String> list(String relative) {
    List<String> names = new ArrayList<>();
    for (FileStatus s : statuses(path(relative))) {
      names.add(s.getPath().getName());
    }
    return names;
  }

  List<FileStatus> statuses(Path dir) {
    try {
      List<FileStatus> out = new ArrayList<>(List.of(fs.listStatus(dir)));
      out.sort(null);
      return out;
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + display(dir), e);
    }
  }

  /** Size and modification time, e.g. to know when a checksum must be computed again. */
  public record Info(long bytes, long modifiedMillis, boolean directory) {}

  public Optional<Info> info(String relative) {
    return info(path(relative));
  }

  Optional<Info> info(Path p) {
    try {
      FileStatus s = fs.getFileStatus(p);
      return Optional.of(new Info(s.getLen(), s.getModificationTime(), s.isDirectory()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up " + display(p), e);
    }
  }

  public Optional<byte[]> read(String relative) {
    return read(path(relative));
  }

  Optional<byte[]> read(Path file) {
    try (InputStream in = fs.open(file)) {
      return Optional.of(in.readAllBytes());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + display(file), e);
    }
  }

  public String sha256(String relative) {
    try (InputStream in = fs.open(path(relative))) {
      return Checksums.sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location(relative), e);
    }
  }

  // ---- small JSON state files ----

  public <T> Optional<T> readJson(String relative, Class<T> type) {
    return read(relative).map(bytes -> parse(relative, () -> Json.MAPPER.readValue(bytes, type)));
  }

  public <T> Optional<T> readJson(String relative, TypeReference<T> type) {
    return read(relative).map(bytes -> parse(relative, () -> Json.MAPPER.readValue(bytes, type)));
  }

  /** Replaces the file atomically: a reader, or a run killed half-way, sees the old value or the new. */
  public void writeJson(String relative, Object value) {
    try {
      replace(relative, Json.MAPPER.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + location(relative) + " as JSON", e);
    }
  }

  private interface Parse<T> {
    T run() throws IOException;
  }

  private <T> T parse(String relative, Parse<T> parse) {
    try {
      return parse.run();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable state file " + location(relative) + " (delete it to start afresh)", e);
    }
  }

  // ---- writing ----

  /** Writes a file in place (for files inside a folder that is published as a whole). */
  public void write(String relative, byte[] bytes) {
    write(path(relative), bytes, true);
  }

  void write(Path file, byte[] bytes, boolean overwrite) {
    try {
      if (local) {
        java.nio.file.Path target = localPath(file);
        java.nio.file.Files.createDirectories(target.getParent());
        java.nio.file.Files.write(target, bytes, overwrite
            ? new java.nio.file.OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
            : new java.nio.file.OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE});
        return;
      }
      try (FSDataOutputStream out = fs.create(file, overwrite)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + display(file), e);
    }
  }

  /**
   * Local disk through java.nio: without Hadoop's native library its local file system sets the
   * permissions of every file and folder it creates by starting a {@code chmod} process, dozens
   * per ingested source.
   */
  boolean isLocal() {
    return local;
  }

  /** Replaces a file so that readers see the old content or the new, never a part. */
  public void replace(String relative, byte[] bytes) {
    Path file = path(relative);
    try {
      primitives.replace(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + display(file), e);
    }
  }

  /**
   * Creates a file that must not exist yet, visible whole; false if it exists. Atomic on local disk
   * (a hard link) and HDFS (rename without overwrite); on an object store a check then a write.
   */
  public boolean createNew(String relative, byte[] bytes) {
    return createNew(path(relative), bytes);
  }

  boolean createNew(Path file, byte[] bytes) {
    try {
      return primitives.createNew(file, bytes);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + display(file), e);
    }
  }

  /**
   * Moves a folder to a place that must not exist: atomic on {@link Commit#RENAME} stores; false
   * if the target appeared meanwhile. On other stores a copy then a delete, so readers must be
   * guarded by something written last (a manifest, a pointer).
   */
  public boolean moveFolder(String from, String to) {
    return moveFolder(path(from), path(to));
  }

  boolean moveFolder(Path from, Path to) {
    try {
      mkdirs(to.getParent());
      return primitives.moveFolder(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + display(from) + " to " + display(to), e);
    }
  }

  /** Copies a folder's files into another (object stores: what a rename would have done). */
  void copyFolder(Path from, Path to) {
    try {
      mkdirs(to);
      for (FileStatus s : statuses(from)) {
        FileUtil.copy(fs, s.getPath(), fs, new Path(to, s.getPath().getName()), false, conf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + display(from) + " to " + display(to), e);
    }
  }

  public void deleteTree(String relative) {
    deleteTree(path(relative));
  }

  void deleteTree(Path p) {
    try {
      fs.delete(p, true);
    } catch (FileNotFoundException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + display(p), e);
    }
  }

  /** Removes a folder only if it is empty: others may be writing beside in parallel. */
  void deleteIfEmpty(Path dir) {
    try {
      if (fs.listStatus(dir).length == 0) {
        fs.delete(dir, false);
      }
    } catch (IOException stillInUse) {
      // not empty, or gone: either way nothing to do
    }
  }

  void mkdirs(Path dir) throws IOException {
    if (local) {
      try {
        java.nio.file.Files.createDirectories(localPath(dir));
        return;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new IOException("cannot create the folder " + display(dir) + ": a file is in the way", e);
      }
    }
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the folder " + display(dir));
    }
  }

  /** Takes the lock {@code relative} (e.g. {@code _locks/nightly.lock}) or fails naming its holder. */
  public RunLock lock(String relative, String command, RunLock.Policy policy) {
    return local
        ? LocalLock.acquire(localPath(path(relative)), command)
        : StoreLock.acquire(this, path(relative), command, policy);
  }

  static java.nio.file.Path localPath(Path p) {
    return java.nio.file.Path.of(p.toUri());
  }
}
