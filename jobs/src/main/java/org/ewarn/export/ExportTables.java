package org.ewarn.export;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shapes a mart for notebooks: contract columns first, in contract order, rows in key order. */
final class ExportTables {
  private ExportTables() {}

  /** The mart's columns in export order: documented ones as the contract lists them, then the rest. */
  static List<String> columnOrder(List<String> martColumns, List<ExportContract.Column> contract) {
    Set<String> ordered = new LinkedHashSet<>();
    for (ExportContract.Column c : contract) {
      martColumns.stream().filter(c::matches).sorted().forEach(ordered::add);
    }
    ordered.addAll(martColumns);
    return List.copyOf(ordered);
  }

  /** Contract columns (not patterns) that the mart lacks: the contract is broken for them. */
  static List<String> missing(List<String> martColumns, List<ExportContract.Column> contract) {
    List<String> out = new ArrayList<>();
    for (ExportContract.Column c : contract) {
      if (!c.isPattern() && !martColumns.contains(c.name())) {
        out.add(c.name());
      }
    }
    return out;
  }

  /** Mart columns no contract entry documents. */
  static List<String> undocumented(List<String> martColumns, List<ExportContract.Column> contract) {
    return martColumns.stream().filter(m -> contract.stream().noneMatch(c -> c.matches(m))).toList();
  }

  static Dataset<Row> conform(Dataset<Row> mart, List<ExportContract.Column> contract) {
    List<String> martColumns = List.of(mart.columns());
    List<String> order = columnOrder(martColumns, contract);
    List<Column> keys = new ArrayList<>();
    for (ExportContract.Column c : contract) {
      if (c.key() && martColumns.contains(c.name())) {
        keys.add(col("`" + c.name() + "`").asc_nulls_first());
      }
    }
    // Then every column, so that equal keys still give one row order (exports compare byte-wise).
    order.forEach(name -> keys.add(col("`" + name + "`").asc_nulls_first()));
    return mart.select(order.stream().map(n -> col("`" + n + "`")).toArray(Column[]::new))
        .orderBy(keys.toArray(Column[]::new));
  }
}
