package org.ewarn.warehouse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small flat table held in memory: its columns and its rows, each row one value per column (null
 * where missing) of the column type's Java class (String, Integer, Long, Double, Boolean,
 * LocalDate). Marts are hundreds to thousands of rows, so holding them is simpler than streaming.
 */
public record Table(List<Column> columns, List<List<Object>> rows) {
  public Table {
    columns = List.copyOf(columns);
    List<List<Object>> copied = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size() + " columns");
      }
      copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copied);
  }

  public static Table of(List<Column> columns, List<Object[]> rows) {
    return new Table(columns, rows.stream().map(Arrays::asList).toList());
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  public int size() {
    return rows.size();
  }

  /** Rows as column name → value, in column order (what the report's data sources take). */
  public List<Map<String, Object>> rowMaps() {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        m.put(columns.get(i).name(), row.get(i));
      }
      out.add(m);
    }
    return out;
  }
}
