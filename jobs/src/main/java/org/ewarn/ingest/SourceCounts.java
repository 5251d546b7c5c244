package org.ewarn.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check step's verdict on one source: its manifest counts ({@code rows_read}, {@code accepted},
 * {@code quarantined}, {@code duplicates}, {@code quarantined.<reason>}, {@code warning.<rule>}),
 * the warnings that go with them, and whether its error rate passes the data-quality gate.
 */
final class SourceCounts {
  private final Map<String, Long> counts;
  private final List<String> warnings;
  private final long read;
  private final long accepted;
  private final long quarantined;
  private final long duplicates;
  private final long absent;

  /**
   * @param byReason {@code quarantined.<reason>} of every quarantined row
   * @param clean the staged clean rows (identical repeats included) and their warning tallies
   * @param conflicts repeats that were quarantined (they are counted clean and quarantined)
   * @param absent records skipped as absent (not records, see {@link SourceFormat#absentWhenNull})
   */
  SourceCounts(Map<String, Long> byReason, Publication.Tally clean, long duplicates, long conflicts, long absent,
      boolean countsAbsent) {
    counts = new TreeMap<>(byReason);
    quarantined = counts.values().stream().mapToLong(Long::longValue).sum();
    // every record read was staged clean (repeats included), rejected or absent (not a record);
    // conflicting repeats are in both
    read = clean.rows() + quarantined - conflicts + absent;
    warnings = new ArrayList<>();
    clean.warned().forEach((rule, n) -> {
      if (n > 0) {
        counts.put("warning." + rule, n);
        warnings.add("rule " + rule + " warned on " + n + " rows");
      }
    });
    this.duplicates = duplicates;
    this.absent = absent;
    accepted = read - quarantined - duplicates - absent;
    if (countsAbsent) {
      counts.put("skipped_absent", absent);
    }
    counts.put("rows_read", read);
    counts.put("accepted", accepted);
    counts.put("quarantined", quarantined);
    counts.put("duplicates", duplicates);
    if (read == absent) {
      warnings.add("no data rows: the files have a header only");
    }
  }

  Map<String, Long> counts() {
    return counts;
  }

  List<String> warnings() {
    return warnings;
  }

  boolean has(String count) {
    return counts.containsKey(count);
  }

  /**
   * False, with the reason added to the warnings, when more than {@code limit} of the records
   * failed their checks.
   */
  boolean passGate(double limit) {
    double rate = read == absent ? 0 : (double) quarantined / (read - absent);
    if (rate <= limit) {
      return true;
    }
    warnings.add(String.format(Locale.ROOT,
        "%.2f %% of %d rows failed checks, above the limit of %.2f %% (quality.max-error-rate); by reason: %s",
        100 * rate, read, 100 * limit, Quarantine.reasonCounts(counts)));
    return false;
  }

  @Override
  public String toString() {
    return "read " + read + " rows, accepted " + accepted + ", quarantined " + quarantined + ", duplicates "
        + duplicates;
  }
}
