package org.ewarn.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The explicit schema of one source format, from {@code org/ewarn/ingest/formats.conf}. Column
 * names are normalised ({@link #normalise}) so headers match whatever their spelling.
 */
public record SourceFormat(
    String name,
    String description,
    Map<String, DataType> columns,
    DataType otherColumns,
    Set<String> ignore,
    List<String> required,
    List<String> notNull,
    Map<String, List<String>> dates,
    CountryKey country,
    List<String> key,
    String conformTo,
    List<String> absentWhenNull,
    List<String> lookups,
    Map<String, String> published)
    implements Serializable {

  /** Where a record's country is and which code system it uses. */
  public record CountryKey(String column, String system, boolean firstCode) implements Serializable {}

  private static final Config FORMATS =
      ConfigFactory.parseResources(SourceFormat.class, "formats.conf").resolve();

  /** The key columns under their published names (the source names when nothing is renamed). */
  public List<String> publishedKey() {
    if (published.isEmpty()) {
      return key;
    }
    return key.stream().map(k -> published.entrySet().stream().filter(e -> e.getValue().equals(k))
        .map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalStateException("formats.conf: " + name + ": key column " + k + " is not published")))
        .toList();
  }

  public static Set<String> names() {
    return new TreeSet<>(FORMATS.root().keySet());
  }

  public static SourceFormat named(String name) {
    if (!FORMATS.hasPath(quote(name))) {
      throw new IllegalArgumentException("unknown format '" + name + "'; known formats: " + names());
    }
    Config c = FORMATS.getConfig(quote(name));
    Map<String, DataType> columns = new LinkedHashMap<>();
    for (String declared : c.getString("columns").split(",")) {
      String[] parts = declared.strip().split("\\s+");
      if (parts.length != 2) {
        throw new IllegalStateException(
            "formats.conf: " + name + ".columns has '" + declared.strip() + "', expected 'name TYPE'");
      }
      columns.put(parts[0], type(parts[1], name, parts[0]));
    }
    Map<String, List<String>> dates = new LinkedHashMap<>();
    if (c.hasPath("dates")) {
      for (String col : c.getObject("dates").keySet()) {
        dates.put(col, List.copyOf(c.getStringList("dates." + quote(col))));
      }
    }
    CountryKey country =
        c.hasPath("country")
            ? new CountryKey(
                c.getString("country.column"),
                c.getString("country.system"),
                c.hasPath("country.first-code") && c.getBoolean("country.first-code"))
            : null;
    return new SourceFormat(
        name,
        c.getString("description"),
        columns,
        c.hasPath("other-columns") ? type(c.getString("other-columns"), name, "other-columns") : null,
        c.hasPath("ignore") ? Set.copyOf(c.getStringList("ignore")) : Set.of(),
        c.getStringList("required"),
        c.hasPath("not-null") ? c.getStringList("not-null") : List.of(),
        dates,
        country,
        c.hasPath("key") ? c.getStringList("key") : List.of(),
        c.hasPath("conform-to") ? c.getString("conform-to") : null,
        c.hasPath("absent-when-null") ? List.copyOf(c.getStringList("absent-when-null")) : List.of(),
        c.hasPath("lookups") ? List.copyOf(c.getStringList("lookups")) : List.of(),
        c.hasPath("published") ? published(c.getString("published"), name) : Map.of());
  }

  /** "out = source, ..." in order. */
  private static Map<String, String> published(String spelled, String format) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : spelled.split(",")) {
      String[] parts = pair.strip().split("\\s*=\\s*");
      if (parts.length != 2) {
        throw new IllegalStateException(
            "formats.conf: " + format + ".published has '" + pair.strip() + "', expected 'output = source'");
      }
      out.put(parts[0], parts[1]);
    }
    return out;
  }

  private static DataType type(String spelled, String format, String column) {
    return switch (spelled.toUpperCase(Locale.ROOT)) {
      case "INT" -> DataTypes.IntegerType;
      case "BIGINT" -> DataTypes.LongType;
      case "DOUBLE" -> DataTypes.DoubleType;
      case "STRING" -> DataTypes.StringType;
      case "DATE" -> DataTypes.DateType;
      default -> throw new IllegalStateException(
          "formats.conf: " + format + "." + column + " has unknown type " + spelled);
    };
  }

  /** A HOCON path element for a name that may contain dots. */
  static String quote(String key) {
    return key.contains(".") ? "\"" + key + "\"" : key;
  }

  /** Header spelling → column name: lower case, runs of other characters become "_". */
  public static String normalise(String header) {
    if (header == null) {
      return "";
    }
    String s = header.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return s.replaceAll("^_+|_+$", "");
  }
}
