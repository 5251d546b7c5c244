package org.ewarn.warehouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The warehouse as one complete run left it, so a reader (the report renderer) never mixes the
 * marts of two runs while a nightly run is publishing:
 *
 * <ul>
 *   <li>a dataset the run produced is read at the partitions the run names (its latest is the last
 *       finished of those), however many newer ones appear;
 *   <li>every other partition is visible if it was finished by the snapshot's time (the pointer's
 *       publication), so older editions (e.g. earlier risk trajectories) stay readable, and a
 *       partition published afterwards does not exist here.
 * </ul>
 *
 * A partition the run names that is not published is damage: reading its dataset is refused. Other
 * datasets stay readable (a report that reads none of a run's quarantine partitions is not stopped
 * by one that retention removed), and opening a snapshot reads no manifest.
 */
public final class Snapshot implements WarehouseView {
  private final Warehouse warehouse;
  private final Map<String, List<String>> pinned;
  private final Instant asOf;
  private final String label;

  private Snapshot(Warehouse warehouse, Map<String, List<String>> pinned, Instant asOf, String label) {
    this.warehouse = warehouse;
    this.pinned = pinned;
    this.asOf = asOf;
    this.label = label;
  }

  /** {@code outputs}: locations (paths or URIs) a run recorded; those of partitions of this warehouse pin. */
  static Snapshot of(Warehouse warehouse, Collection<String> outputs, Instant asOf, String label) {
    Map<String, List<String>> pinned = new TreeMap<>();
    for (String location : outputs) {
      warehouse.partitionAt(location)
          .ifPresent(dv -> pinned.computeIfAbsent(dv[0], d -> new ArrayList<>()).add(dv[1]));
    }
    pinned.replaceAll((d, v) -> List.copyOf(v));
    return new Snapshot(warehouse, Map.copyOf(pinned), asOf, label);
  }

  /** The partitions the run named, by dataset (for provenance lines). */
  public Map<String, List<String>> pinned() {
    return pinned;
  }

  public Instant asOf() {
    return asOf;
  }

  @Override
  public List<Partition> partitions(String dataset) {
    List<Partition> visible = warehouse.partitions(dataset).stream().filter(p -> visible(p)).toList();
    for (String v : pinned.getOrDefault(dataset, List.of())) {
      if (visible.stream().noneMatch(p -> p.vintage().equals(v))) {
        throw WarehouseFailure.damaged(dataset, v, label + " names it as published, but it is gone", null);
      }
    }
    return visible;
  }

  @Override
  public Optional<Partition> partition(String dataset, String vintage) {
    return warehouse.partition(dataset, vintage).filter(this::visible);
  }

  @Override
  public Optional<Partition> latest(String dataset) {
    List<String> named = pinned.get(dataset);
    if (named == null) {
      return WarehouseView.super.latest(dataset);
    }
    return named.stream().map(v -> warehouse.partition(dataset, v).orElseThrow(() -> WarehouseFailure.damaged(
            dataset, v, label + " names it as published, but it is gone", null)))
        .max(Comparator.comparing((Partition p) -> p.manifest().finishedAt()).thenComparing(Partition::vintage));
  }

  private boolean visible(Partition p) {
    List<String> named = pinned.get(p.dataset());
    return named != null && named.contains(p.vintage()) || !p.manifest().finishedAt().isAfter(asOf);
  }

  @Override
  public String describe() {
    return warehouse.describe() + " as of " + label;
  }
}
