package org.ewarn.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

/**
 * Matches each file's header against its declared format before any row is read, so a file of
 * the wrong schema (GED 19.1 declared as 23.1, or the reverse) stops with a message naming the
 * file, the columns that differ and the format that would fit — not with a million bad rows.
 */
record ColumnPlan(List<Typing.ColumnSpec> columns, Map<Path, int[]> positions, Map<Path, Integer> headerCounts) {

  static ColumnPlan of(String sourceName, SourceFormat format, Map<Path, String[]> headers) {
    Map<String, DataType> columns = new LinkedHashMap<>(format.columns());
    Map<Path, List<String>> normalised = new LinkedHashMap<>();
    for (Map.Entry<Path, String[]> e : headers.entrySet()) {
      Path file = e.getKey();
      String[] header = e.getValue();
      if (header == null) {
        // bad input like a header that does not fit the format (exit 2), not a quality gate (3):
        // there are no rows to rate, and re-running will not help until the file is replaced
        throw new StageFailure(ExitCode.USAGE_OR_CONFIG,
            "file " + file + " is empty: expected a header line with the columns of format "
                + format.name() + " (" + format.description() + ")");
      }
      List<String> names = new ArrayList<>();
      for (String h : header) {
        names.add(SourceFormat.normalise(h));
      }
      normalised.put(file, names);
      Set<String> present = new LinkedHashSet<>(names);
      List<String> missing = format.required().stream().filter(r -> !present.contains(r)).toList();
      List<String> unknown = names.stream()
          .filter(n -> !format.columns().containsKey(n) && !format.ignore().contains(n))
          .toList();
      if (!missing.isEmpty() || (!unknown.isEmpty() && format.otherColumns() == null)) {
        StringBuilder msg = new StringBuilder("file " + file + " does not match format " + format.name()
            + " (" + format.description() + ") declared for source " + sourceName + ":");
        if (!missing.isEmpty()) {
          msg.append(" missing required columns ").append(missing).append(';');
        }
        if (!unknown.isEmpty() && format.otherColumns() == null) {
          msg.append(" columns the format does not declare ").append(unknown).append(';');
        }
        String better = fittingFormat(names, format.name());
        msg.append(better == null
            ? " check the file and the format"
            : " its header fits format " + better + " (" + SourceFormat.named(better).description()
                + "): set ingest.sources." + sourceName + ".format = " + better);
        throw StageFailure.config(msg.toString());
      }
      if (format.otherColumns() != null) {
        for (String n : unknown) {
          if (!n.isEmpty()) {
            columns.putIfAbsent(n, format.otherColumns());
          }
        }
      }
    }
    List<Typing.ColumnSpec> specs = new ArrayList<>();
    columns.forEach((name, type) ->
        specs.add(new Typing.ColumnSpec(name, type, format.dates().getOrDefault(name, List.of()))));
    Map<Path, int[]> positions = new LinkedHashMap<>();
    Map<Path, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<Path, List<String>> e : normalised.entrySet()) {
      List<String> names = e.getValue();
      int[] pos = new int[specs.size()];
      for (int i = 0; i < specs.size(); i++) {
        pos[i] = names.indexOf(specs.get(i).name());
      }
      positions.put(e.getKey(), pos);
      counts.put(e.getKey(), names.size());
    }
    return new ColumnPlan(List.copyOf(specs), positions, counts);
  }

  private static String fittingFormat(List<String> header, String declared) {
    Set<String> present = new LinkedHashSet<>(header);
    for (String name : SourceFormat.names()) {
      if (name.equals(declared)) {
        continue;
      }
      SourceFormat f = SourceFormat.named(name);
      boolean hasRequired = present.containsAll(f.required());
      boolean noUnknown = f.otherColumns() != null
          || header.stream().allMatch(n -> f.columns().containsKey(n) || f.ignore().contains(n));
      if (hasRequired && noUnknown) {
        return name;
      }
    }
    return null;
  }
}
