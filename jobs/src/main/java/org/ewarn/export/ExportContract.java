package org.ewarn.export;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ewarn.run.StageFailure;

/**
 * The export contract, read from {@code notebooks-exports/dictionary.csv}: which marts are
 * exported as which tables, and the meaning and unit of every column. CONTRACT.md documents the
 * same file (a test keeps them equal), so the documentation cannot drift from what is exported.
 */
public record ExportContract(Map<String, List<Column>> tables) {

  /** One documented column; a name ending in {@code *} documents every column with that prefix. */
  public record Column(String table, String name, String type, String unit, boolean key, String meaning) {
    public boolean matches(String column) {
      return name.endsWith("*") ? column.startsWith(name.substring(0, name.length() - 1)) : name.equals(column);
    }

    public boolean isPattern() {
      return name.endsWith("*");
    }
  }

  public ExportContract {
    Map<String, List<Column>> copy = new LinkedHashMap<>();
    tables.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    tables = java.util.Collections.unmodifiableMap(copy);
  }

  static final List<String> HEADER = List.of("table", "column", "type", "unit", "key", "meaning");

  public static ExportContract read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw StageFailure.config("export contract " + file + " does not exist (configuration key export.dictionary)");
    }
    Map<String, List<Column>> tables = new LinkedHashMap<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
      var parser = format.parse(in);
      if (!parser.getHeaderNames().equals(HEADER)) {
        throw StageFailure.config("export contract " + file + ": expected the header " + HEADER
            + ", got " + parser.getHeaderNames());
      }
      for (CSVRecord r : parser) {
        if (!r.isConsistent()) {
          throw StageFailure.config("export contract " + file + " line " + r.getParser().getCurrentLineNumber()
              + ": expected " + HEADER.size() + " fields, got " + r.size());
        }
        String key = r.get("key");
        if (!key.equals("yes") && !key.equals("no")) {
          throw StageFailure.config("export contract " + file + " line " + r.getParser().getCurrentLineNumber()
              + ": column 'key' must be yes or no, got '" + key + "'");
        }
        tables.computeIfAbsent(r.get("table"), t -> new ArrayList<>())
            .add(new Column(r.get("table"), r.get("column"), r.get("type"), r.get("unit"),
                key.equals("yes"), r.get("meaning")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the export contract " + file, e);
    }
    return new ExportContract(tables);
  }

  public List<Column> columns(String table) {
    return tables.getOrDefault(table, List.of());
  }
}
