package org.ewarn.warehouse;

import java.util.List;
import java.util.Optional;

/**
 * What a reader sees of a warehouse: the live warehouse ({@link Warehouse}), or the marts of one
 * complete published run ({@link Snapshot}). A damaged partition is refused
 * ({@link WarehouseFailure.Kind#DAMAGED}), never skipped.
 */
public interface WarehouseView {
  /** The published partitions of a dataset, oldest first (by manifest finish time, then vintage). */
  List<Partition> partitions(String dataset);

  /** One published partition, or empty if it was never published (or, in a snapshot, not yet). */
  Optional<Partition> partition(String dataset, String vintage);

  /** The partition readers take by default: the last finished. */
  default Optional<Partition> latest(String dataset) {
    List<Partition> all = partitions(dataset);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The latest partition, or a {@link WarehouseFailure.Kind#MISSING} failure naming what to run. */
  default Partition require(String dataset) {
    return latest(dataset).orElseThrow(() -> new WarehouseFailure(WarehouseFailure.Kind.MISSING,
        "dataset '" + dataset + "' has no published partition in " + describe()
            + "; run the stage that writes it first (e.g. ewarn ingest)"));
  }

  /**
   * The partition a manifest's {@code upstream} entry names: {@code dataset/vintage=label} (as
   * {@link Partition#id()} writes it), {@code dataset@label}, or a bare dataset for its latest.
   * Empty if it is not published in this view, or names no partition (an input file, say).
   */
  default Optional<Partition> upstream(String entry) {
    String[] parts = entry.contains("/" + Warehouse.VINTAGE) ? entry.split("/" + Warehouse.VINTAGE, 2)
        : entry.contains("@") ? entry.split("@", 2) : new String[] {entry};
    try {
      return parts.length == 2 ? partition(parts[0], parts[1]) : latest(parts[0]);
    } catch (IllegalArgumentException notALabel) {
      return Optional.empty();
    }
  }

  /** Where this view reads, for messages: the warehouse root, and the run of a snapshot. */
  String describe();
}
