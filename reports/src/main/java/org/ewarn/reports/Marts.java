package org.ewarn.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The marts one render reads, loaded once and shared by every language: the edition's risk marts
 * (vintage = edition) and the latest back-test marts. Also fingerprints what each appendix read.
 */
final class Marts {
  /** Marts whose vintage is the edition; the others are read at their latest vintage. */
  private static final List<String> EDITION_MARTS =
      List.of("risk_forecasts", "risk_trajectories", "risk_drivers", "risk_factor_profiles");

  final MartReader reader;
  final String edition;
  private final Map<String, Optional<Mart>> loaded = new HashMap<>();

  Marts(MartReader reader, String requestedEdition) {
    this.reader = reader;
    Optional<Mart> forecasts = RenderConfig.LATEST.equals(requestedEdition)
        ? reader.latest("risk_forecasts")
        : reader.vintage("risk_forecasts", requestedEdition);
    if (forecasts.isEmpty()) {
      throw RenderFailure.data(RenderConfig.LATEST.equals(requestedEdition)
          ? "mart risk_forecasts has not been published under " + reader.describe()
              + ": run the forecast stage first"
          : "mart risk_forecasts has no published edition '" + requestedEdition + "' under "
              + reader.describe() + "; published: " + reader.manifests("risk_forecasts").stream()
                  .map(PartitionManifest::vintage).toList()
              + (reader.pinned().isEmpty() ? "" : " (a partition published after that run is not"
                  + " read: set reports.marts = live to read it)"));
    }
    this.edition = forecasts.get().vintage();
    loaded.put("risk_forecasts", forecasts);
  }

  /** The partition an appendix reads, or empty if the mart (or this edition of it) is unpublished. */
  synchronized Optional<Mart> mart(String dataset) {
    return loaded.computeIfAbsent(dataset, d -> TRAJECTORIES.equals(d)
        ? trajectoriesUpTo(edition)
        : EDITION_MARTS.contains(d)
            ? reader.vintage(d, edition)
            : reader.latest(d));
  }

  static final String TRAJECTORIES = "risk_trajectories";

  /** The latest partition's manifest alone, for marts whose rows the report never reads. */
  Optional<PartitionManifest> latestManifest(String dataset) {
    return reader.latestManifest(dataset);
  }

  /** SHA-256 of the latest manifest of a mart read for its manifest only; "unpublished" if none. */
  String manifestFingerprint(String dataset) {
    Optional<PartitionManifest> m = latestManifest(dataset);
    if (m.isEmpty()) {
      return "unpublished";
    }
    Path file = reader.root().resolve(dataset).resolve("vintage=" + m.get().vintage()).resolve("_MANIFEST.json");
    try {
      return Publication.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw RenderFailure.io("cannot read " + file, e);
    }
  }

  /**
   * The forecast stage publishes risk_trajectories one partition per edition (MARTS.md); a
   * country's path is the union of the partitions up to this edition, named by this edition's
   * partition. A row (model, edition, country, horizon) found in several partitions is taken from
   * the partition of its own edition.
   */
  private Optional<Mart> trajectoriesUpTo(String edition) {
    Optional<Mart> own = reader.vintage(TRAJECTORIES, edition);
    if (own.isEmpty()) {
      return own;
    }
    Integer upTo = Sections.editionNumber(edition);
    Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
    java.util.Set<String> columns = new java.util.LinkedHashSet<>(own.get().columns());
    for (PartitionManifest m : reader.manifests(TRAJECTORIES)) {
      Integer year = Sections.editionNumber(m.vintage());
      boolean earlier = upTo != null && year != null && year < upTo && m.vintage().equals(String.valueOf(year));
      if (!earlier) {
        continue;
      }
      Mart past = reader.vintage(TRAJECTORIES, m.vintage()).orElseThrow();
      columns.retainAll(past.columns());
      past.rows().forEach(r -> keep(rows, r, m.vintage()));
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
      Optional<Mart> m = mart(d);
      if (m.isEmpty()) {
        out.put(d, "unpublished");
        continue;
      }
      Path dir = reader.root().resolve(d).resolve("vintage=" + m.get().vintage());
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(m.get().vintage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (Path f : MartReader.parquetFiles(dir)) {
          sha.update(Files.readAllBytes(f));
        }
        if (withManifests) {
          sha.update(Files.readAllBytes(dir.resolve("_MANIFEST.json")));
        }
        out.put(d, java.util.HexFormat.of().formatHex(sha.digest()));
      } catch (IOException e) {
        throw RenderFailure.io("cannot read mart " + d + " at " + dir, e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
