package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The span of periods a source covers. Inside it a period without events is a true zero; outside
 * it the panel says null (unknown), so a source that stops in 2014 does not report peace since.
 */
record Coverage(Integer first, Integer last) implements Serializable {
  static final Coverage NONE = new Coverage(null, null);

  /** One source's periods: {@code period} of each of its {@code rows}. */
  record Periods(Dataset<Row> rows, Column period) {}

  static Coverage of(Dataset<Row> periods, String column) {
    return of(List.of(new Periods(periods, col(column)))).get(0);
  }

  /**
   * The coverage of each source, in order, from one aggregation over all of them: an aggregation
   * is a pair of Spark jobs (partial bounds, then their merge) however many columns it has, and
   * the panels' sources are a few thousand rows each, so the pair is nearly all of the cost.
   */
  static List<Coverage> of(List<Periods> sources) {
    Dataset<Row> all = null;
    List<Column> bounds = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String name = "_period_" + i;
      Dataset<Row> one = sources.get(i).rows().select(sources.get(i).period().as(name));
      // each source in a column of its own (null in the others' rows), so its type is its own
      all = all == null ? one : all.unionByName(one, true);
      bounds.add(min(col(name)));
      bounds.add(max(col(name)));
    }
    Row r = all.agg(bounds.get(0), bounds.subList(1, bounds.size()).toArray(Column[]::new)).first();
    List<Coverage> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      out.add(r.isNullAt(2 * i) ? NONE
          : new Coverage(((Number) r.get(2 * i)).intValue(), ((Number) r.get(2 * i + 1)).intValue()));
    }
    return out;
  }

  boolean isEmpty() {
    return first == null;
  }

  Column contains(Column period) {
    return isEmpty() ? org.apache.spark.sql.functions.lit(false) : period.between(first, last);
  }
}
