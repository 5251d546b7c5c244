package org.ewarn.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Table;

/**
 * One published partition of a mart as read by the renderer: its manifest and its rows (column name
 * to Java value; null where the Parquet value is null). Marts are small (hundreds to thousands of
 * rows), so holding them in memory is simpler than streaming.
 */
record Mart(String dataset, String vintage, Manifest manifest, Set<String> columns,
    List<Map<String, Object>> rows) {

  Mart {
    columns = Set.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** Reads every row of a published partition (a damaged one is refused by the warehouse). */
  static Mart of(Partition partition) {
    Table table = partition.read();
    return new Mart(partition.dataset(), partition.vintage(), partition.manifest(),
        new LinkedHashSet<>(table.columnNames()), table.rowMaps());
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  Mart where(Predicate<Map<String, Object>> keep) {
    List<Map<String, Object>> kept = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      if (keep.test(row)) {
        kept.add(row);
      }
    }
    return new Mart(dataset, vintage, manifest, columns, kept);
  }

  /** Fails naming the mart and the first absent column; extra columns are fine. */
  Mart require(String... names) {
    for (String name : names) {
      if (!columns.contains(name)) {
        throw RenderFailure.data(
            "mart " + dataset + " (vintage=" + vintage + ") lacks required column '" + name
                + "'; it has " + new java.util.TreeSet<>(columns));
      }
    }
    return this;
  }

  static String text(Map<String, Object> row, String column) {
    Object v = row.get(column);
    return v == null ? null : v.toString();
  }

  static Double number(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? null : d;
    }
    return Double.valueOf(v.toString());
  }

  static Integer integer(Map<String, Object> row, String column) {
    Double d = number(row, column);
    return d == null ? null : (int) Math.round(d);
  }

  static boolean flag(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return v != null && Boolean.parseBoolean(v.toString());
  }

  static Map<String, Object> copy(Map<String, Object> row) {
    return new LinkedHashMap<>(row);
  }
}
