package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The span of periods a source covers. Inside it a period without events is a true zero; outside
 * it the panel says null (unknown), so a source that stops in 2014 does not report peace since.
 */
record Coverage(Integer first, Integer last) implements Serializable {
  static final Coverage NONE = new Coverage(null, null);

  static Coverage of(Dataset<Row> periods, String column) {
    Row r = periods.agg(min(col(column)), max(col(column))).first();
    return r.isNullAt(0) ? NONE : new Coverage(((Number) r.get(0)).intValue(), ((Number) r.get(1)).intValue());
  }

  boolean isEmpty() {
    return first == null;
  }

  Column contains(Column period) {
    return isEmpty() ? org.apache.spark.sql.functions.lit(false) : period.between(first, last);
  }
}
