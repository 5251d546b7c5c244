package org.ewarn.reports;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Snapshot;
import org.ewarn.warehouse.WarehouseView;

/**
 * The marts one render reads, loaded once and shared by every language: the edition's risk marts
 * (vintage = edition) and the latest back-test marts. Also fingerprints what each appendix read.
 */
final class Marts {
  /** Marts whose vintage is the edition; the others are read at their latest vintage. */
  private static final List<String> EDITION_MARTS =
      List.of("risk_forecasts", "risk_trajectories", "risk_drivers", "risk_factor_profiles");

  private final WarehouseView view;
  final String edition;
  private final Map<String, Optional<Mart>> loaded = new HashMap<>();

  Marts(WarehouseView view, String requestedEdition) {
    this.view = view;
    Optional<Mart> forecasts = (RenderConfig.LATEST.equals(requestedEdition)
        ? view.latest("risk_forecasts")
        : view.partition("risk_forecasts", requestedEdition)).map(Mart::of);
    if (forecasts.isEmpty()) {
      throw RenderFailure.data(RenderConfig.LATEST.equals(requestedEdition)
          ? "mart risk_forecasts has not been published under " + view.describe()
              + ": run the forecast stage first"
          : "mart risk_forecasts has no published edition '" + requestedEdition + "' under "
              + view.describe() + "; published: " + view.partitions("risk_forecasts").stream()
                  .map(Partition::vintage).toList()
              + (view instanceof Snapshot ? " (a partition published after that run is not"
                  + " read: set reports.marts = live to read it)" : ""));
    }
    this.edition = forecasts.get().vintage();
    loaded.put("risk_forecasts", forecasts);
  }

  /** The partition an appendix reads, or empty if the mart (or this edition of it) is unpublished. */
  synchronized Optional<Mart> mart(String dataset) {
    return loaded.computeIfAbsent(dataset, d -> TRAJECTORIES.equals(d)
        ? trajectoriesUpTo(edition)
        : partitionRead(d).map(Mart::of));
  }

  static final String TRAJECTORIES = "risk_trajectories";

  /** Which partition of a mart this render reads: the edition's, or the latest. */
  private Optional<Partition> partitionRead(String dataset) {
    return EDITION_MARTS.contains(dataset) ? view.partition(dataset, edition) : view.latest(dataset);
  }

  /** The latest partition's manifest alone, for marts whose rows the report never reads. */
  Optional<Manifest> latestManifest(String dataset) {
    return view.latest(dataset).map(Partition::manifest);
  }

  /** The partition a manifest's upstream entry names, if this render's view has it. */
  Optional<Partition> upstream(String entry) {
    return view.upstream(entry);
  }

  /** SHA-256 of the latest manifest of a mart read for its manifest only; "unpublished" if none. */
  String manifestFingerprint(String dataset) {
    return view.latest(dataset).map(Partition::manifestSha256).orElse("unpublished");
  }

  /**
   * The forecast stage publishes risk_trajectories one partition per edition (MARTS.md); a
   * country's path is the union of the partitions up to this edition, named by this edition's
   * partition. A row (model, edition, country, horizon) found in several partitions is taken from
   * the partition of its own edition.
   */
  private Optional<Mart> trajectoriesUpTo(String edition) {
    Optional<Mart> own = view.partition(TRAJECTORIES, edition).map(Mart::of);
    if (own.isEmpty()) {
      return own;
    }
    Integer upTo = Sections.editionNumber(edition);
    Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
    java.util.Set<String> columns = new java.util.LinkedHashSet<>(own.get().columns());
    for (Partition p : view.partitions(TRAJECTORIES)) {
      Integer year = Sections.editionNumber(p.vintage());
      boolean earlier = upTo != null && year != null && year < upTo && p.vintage().equals(String.valueOf(year));
      if (!earlier) {
        continue;
      }
      Mart past = Mart.of(p);
      columns.retainAll(past.columns());
      past.rows().forEach(r -> keep(rows, r, p.vintage()));
    }
    own.get().rows().forEach(r -> keep(rows, r, edition));
    Mart o = own.get();
    return Optional.of(new Mart(o.dataset(), o.vintage(), o.manifest(), columns, new java.util.ArrayList<>(rows.values())));
  }

  private static void keep(Map<List<Object>, Map<String, Object>> rows, Map<String, Object> row, String partition) {
    List<Object> key = java.util.Arrays.asList(row.get("model"), row.get("edition"), row.get("ccode"), row.get("horizon"));
    if (!rows.containsKey(key) || partition.equals(Mart.text(row, "edition"))) {
      rows.put(key, row);
    }
  }

  /**
   * SHA-256 over the bytes of the Parquet files (and, where asked, the manifests) of the marts an
   * appendix reads. Unlike the PDF, which embeds timestamps and ids, this is deterministic.
   */
  Map<String, String> fingerprints(List<String> datasets, boolean withManifests) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String d : datasets) {
      // the partition the appendix read: loaded first, so the hash is of what was rendered
      Optional<Mart> m = mart(d);
      out.put(d, m.isEmpty() ? "unpublished"
          : view.partition(d, m.get().vintage()).orElseThrow().contentSha256(withManifests));
    }
    return out;
  }
}
