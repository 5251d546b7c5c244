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
          ? "mart risk_forecasts has not been published under " + reader.root()
              + ": run the forecast stage first"
          : "mart risk_forecasts has no published edition '" + requestedEdition + "' under "
              + reader.root() + "; published: " + reader.manifests("risk_forecasts").stream()
                  .map(PartitionManifest::vintage).toList());
    }
    this.edition = forecasts.get().vintage();
    loaded.put("risk_forecasts", forecasts);
  }

  /** The partition an appendix reads, or empty if the mart (or this edition of it) is unpublished. */
  synchronized Optional<Mart> mart(String dataset) {
    return loaded.computeIfAbsent(dataset, d -> EDITION_MARTS.contains(d)
        ? reader.vintage(d, edition)
        : reader.latest(d));
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
