package org.ewarn.warehouse;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The versioned Parquet warehouse, {@code <root>/<dataset>/vintage=<label>/part-*.parquet} plus
 * {@code _MANIFEST.json}: the only code that knows this layout. Partitions are immutable, published
 * whole (see {@link Staged}), and exist for readers only with their manifest. Run folders
 * ({@code _staging/<run-id>/}) and locks ({@code _locks/}) sit beside the datasets.
 *
 * <p>As a {@link WarehouseView} it is the live warehouse: every published partition, the latest by
 * manifest finish time. {@link #snapshot} gives the view of one complete run.
 */
public final class Warehouse implements WarehouseView {
  public static final String MANIFEST = "_MANIFEST.json";
  static final String STAGING = "_staging";
  static final String LOCKS = "_locks";
  static final String VINTAGE = "vintage=";
  static final String PUBLISHING = ".publishing";
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]*");

  private final Storage storage;
  private final RunLock.Policy lockPolicy;

  private Warehouse(Storage storage, RunLock.Policy lockPolicy) {
    this.storage = storage;
    this.lockPolicy = lockPolicy;
  }

  /** A URI ({@code hdfs://nn:8020/ewarn/warehouse}, {@code s3a://b/wh}) or a local path. */
  public static Warehouse open(String root) {
    return on(Storage.open(root));
  }

  /** With the session's Hadoop configuration (in Spark: {@code sparkContext().hadoopConfiguration()}). */
  public static Warehouse open(String root, Configuration conf) {
    return on(Storage.open(root, conf));
  }

  public static Warehouse on(Storage storage) {
    return new Warehouse(storage, RunLock.Policy.DEFAULT);
  }

  public Warehouse withLockPolicy(RunLock.Policy policy) {
    return new Warehouse(storage, policy);
  }

  public Storage storage() {
    return storage;
  }

  public URI root() {
    return storage.root();
  }

  @Override
  public String describe() {
    return storage.location("");
  }

  // ---- reading: the live warehouse ----

  /** Names of the datasets that have a folder (published or not), sorted. */
  public List<String> datasets() {
    return storage.statuses(storage.path("")).stream()
        .filter(s -> s.isDirectory() && !Partition.hidden(s.getPath().getName()))
        .map(s -> s.getPath().getName())
        .toList();
  }

  @Override
  public List<Partition> partitions(String dataset) {
    check("dataset", dataset);
    List<Partition> out = new ArrayList<>();
    for (FileStatus s : storage.statuses(storage.path(dataset))) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.startsWith(VINTAGE)) {
        inspect(dataset, name.substring(VINTAGE.length())).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing((Partition p) -> p.manifest().finishedAt()).thenComparing(Partition::vintage));
    return out;
  }

  @Override
  public Optional<Partition> partition(String dataset, String vintage) {
    check("dataset", dataset);
    check("vintage", vintage);
    return inspect(dataset, vintage);
  }

  /**
   * A folder is a partition when it has its manifest; an empty one, or one a run is still
   * publishing in place (object stores), is nothing yet; data files without a manifest and with no
   * run publishing them are damage.
   */
  private Optional<Partition> inspect(String dataset, String vintage) {
    Path dir = partitionPath(dataset, vintage);
    Optional<Partition> published = withManifest(dataset, vintage, dir);
    if (published.isPresent()) {
      return published;
    }
    List<String> data = storage.statuses(dir).stream().map(s -> s.getPath().getName())
        .filter(n -> !Partition.hidden(n)).toList();
    if (data.isEmpty() || publisher(dataset, vintage, null).isPresent()) {
      return Optional.empty();
    }
    // its publisher may have written the manifest and removed its mark since the first look
    published = withManifest(dataset, vintage, dir);
    if (published.isPresent()) {
      return published;
    }
    throw WarehouseFailure.damaged(dataset, vintage, "its folder " + storage.display(dir) + " holds data ("
        + String.join(", ", data.subList(0, Math.min(3, data.size()))) + (data.size() > 3 ? ", …" : "")
        + ") but no " + MANIFEST + " (was it deleted?)", null);
  }

  private Optional<Partition> withManifest(String dataset, String vintage, Path dir) {
    Path file = new Path(dir, MANIFEST);
    Optional<byte[]> bytes = storage.read(file);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Partition(storage, dataset, vintage, dir, Manifest.parse(bytes.get())));
    } catch (IOException unreadable) {
      // a store that shows a file while it is written (HDFS in manifest-last mode): still publishing
      if (publisher(dataset, vintage, null).isPresent()) {
        return Optional.empty();
      }
      try {
        byte[] again = storage.read(file).orElseThrow(() -> unreadable);
        return Optional.of(new Partition(storage, dataset, vintage, dir, Manifest.parse(again)));
      } catch (IOException e) {
        throw WarehouseFailure.damaged(dataset, vintage, "its " + MANIFEST + " is unreadable (" + e.getMessage() + ")", e);
      }
    }
  }

  /** The run whose mark says it is publishing this partition in place, other than {@code except}. */
  Optional<String> publisher(String dataset, String vintage, String except) {
    for (FileStatus run : storage.statuses(storage.path(STAGING))) {
      String id = run.getPath().getName();
      if (run.isDirectory() && !id.equals(except) && storage.exists(markerOf(id, dataset, vintage))) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  // ---- snapshots ----

  /** The marts of the complete run a pointer ({@code latest.json}) names; see {@link Snapshot}. */
  public Snapshot snapshot(RunPointer pointer) {
    return Snapshot.of(this, pointer.outputs().values(), pointer.publishedAt(), "run " + pointer.runId());
  }

  /** The outputs of a run still in progress (the nightly's render stage) as of now. */
  public Snapshot snapshot(Map<String, String> outputs, Instant asOf, String label) {
    return Snapshot.of(this, outputs.values(), asOf, label);
  }

  /** {@code {dataset, vintage}} of a partition folder of this warehouse given by path or URI. */
  Optional<String[]> partitionAt(String location) {
    String relative;
    try {
      Path p = storage.fs.makeQualified(new Path(Storage.toUri(location)));
      String root = storage.path("").toString().replaceFirst("/$", "") + "/";
      if (!p.toString().startsWith(root)) {
        return Optional.empty();
      }
      relative = p.toString().substring(root.length());
    } catch (IllegalArgumentException otherStore) {
      return Optional.empty();
    }
    String[] parts = relative.split("/");
    return parts.length == 2 && parts[1].startsWith(VINTAGE)
        ? Optional.of(new String[] {parts[0], parts[1].substring(VINTAGE.length())})
        : Optional.empty();
  }

  // ---- writing ----

  /**
   * Starts writing a partition for a run; refused if it is published (vintages are immutable) or
   * damaged. Publish with {@link Staged#publish}; nothing is visible before.
   */
  public Staged stage(String runId, String dataset, String vintage) {
    check("run id", runId);
    check("dataset", dataset);
    check("vintage", vintage);
    refuseRepublish(dataset, vintage);
    return Staged.begin(this, runId, dataset, vintage);
  }

  /** Publishes a small table as a partition in one step (its manifest's run id stages it). */
  public Partition publish(String dataset, String vintage, Manifest manifest, Table table) {
    Staged staged = stage(manifest.runId(), dataset, vintage);
    try {
      staged.writeTable(table);
      return staged.publish(manifest);
    } catch (RuntimeException e) {
      staged.abandon();
      throw e;
    }
  }

  void refuseRepublish(String dataset, String vintage) {
    if (inspect(dataset, vintage).isPresent()) {
      throw new WarehouseFailure(WarehouseFailure.Kind.ALREADY_PUBLISHED,
          "partition " + dataset + "/vintage=" + vintage + " is already published and is never"
              + " modified; publish the new data under a new vintage label");
    }
  }

  /**
   * A cleared folder in the run's area for intermediate data (written once, read back, removed
   * with the run's staging): e.g. a costly parse that several outputs are taken from.
   */
  public String scratch(String runId, String name) {
    check("run id", runId);
    check("scratch name", name);
    Path dir = storage.path(STAGING + "/" + runId + "/_work/" + name);
    storage.deleteTree(dir);
    return storage.display(dir);
  }

  /**
   * Removes a run's staging and scratch folders, after it published or failed, and (object stores)
   * the half-written partitions it was publishing in place.
   */
  public void discardStaging(String runId) {
    check("run id", runId);
    Path runDir = storage.path(STAGING + "/" + runId);
    for (FileStatus d : storage.statuses(runDir)) {
      for (FileStatus mark : storage.statuses(d.getPath())) {
        String name = mark.getPath().getName();
        if (name.startsWith(VINTAGE) && name.endsWith(PUBLISHING)) {
          String dataset = d.getPath().getName();
          String vintage = name.substring(VINTAGE.length(), name.length() - PUBLISHING.length());
          Path target = partitionPath(dataset, vintage);
          if (!storage.exists(manifestOf(dataset, vintage)) && publisher(dataset, vintage, runId).isEmpty()) {
            storage.deleteTree(target);
          }
        }
      }
    }
    storage.deleteTree(runDir);
  }

  /** The run ids that have a staging folder (for retention). */
  public List<String> stagingRuns() {
    return storage.list(STAGING);
  }

  /**
   * Removes a companion partition (quarantine, report) left by a run that died before publishing
   * the partition it belongs to: without its owner it never existed, so it may be written again.
   */
  public void discardOrphan(String companion, String vintage, String owner) {
    if (partition(owner, vintage).isPresent()) {
      throw new IllegalStateException(companion + " belongs to the published " + owner + "/vintage=" + vintage);
    }
    remove(companion, vintage);
  }

  /**
   * Removes a partition that run {@code runId} published in a stage it never finished (it was
   * killed or failed later in the same stage) under a label only that run would use, its run id:
   * no complete run refers to it, and a restart cannot reuse it. Refused for any other partition.
   */
  public void discardUnfinished(String dataset, String runId, String stage) {
    Partition p = partition(dataset, runId).orElseThrow(() -> new IllegalStateException(
        dataset + "/vintage=" + runId + " is not published"));
    if (!runId.equals(p.manifest().runId()) || !stage.equals(p.manifest().stage())) {
      throw new IllegalStateException(p.id() + " was published by run " + p.manifest().runId() + " in stage "
          + p.manifest().stage() + ", not by run " + runId + " in stage " + stage);
    }
    remove(dataset, runId);
  }

  private void remove(String dataset, String vintage) {
    Path dir = partitionPath(dataset, vintage);
    // the manifest first: from then on the folder is not a partition, even if removing the rest fails
    storage.deleteTree(new Path(dir, MANIFEST));
    storage.deleteTree(dir);
  }

  /** Takes {@code _locks/<name>.lock}; a second run fails with {@link WarehouseFailure.Kind#LOCKED}. */
  public RunLock lock(String name, String command) {
    check("lock name", name);
    return storage.lock(LOCKS + "/" + name + ".lock", command, lockPolicy);
  }

  // ---- layout ----

  Path partitionPath(String dataset, String vintage) {
    return storage.path(dataset + "/" + VINTAGE + vintage);
  }

  private String manifestOf(String dataset, String vintage) {
    return dataset + "/" + VINTAGE + vintage + "/" + MANIFEST;
  }

  String stagingOf(String runId, String dataset, String vintage) {
    return STAGING + "/" + runId + "/" + dataset + "/" + VINTAGE + vintage;
  }

  String markerOf(String runId, String dataset, String vintage) {
    return stagingOf(runId, dataset, vintage) + PUBLISHING;
  }

  /** Labels become folder names on every store: letters, digits and {@code . _ @ + -}, no leading dot. */
  static void check(String what, String label) {
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException(what + " '" + label + "' cannot be a folder name: use letters,"
          + " digits and . _ @ + - (not first)");
    }
  }
}
