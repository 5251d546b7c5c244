package org.ewarn.panel;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;

import java.time.YearMonth;
import org.apache.spark.sql.Column;

/** Months as consecutive whole numbers (year × 12 + month − 1), so windows are plain ranges. */
final class Months {
  private Months() {}

  static Column index(Column date) {
    return year(date).multiply(12).plus(month(date)).minus(1);
  }

  static int index(YearMonth m) {
    return m.getYear() * 12 + m.getMonthValue() - 1;
  }

  static YearMonth of(int index) {
    return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
  }

  static Column indexLiteral(YearMonth m) {
    return lit(index(m));
  }
}
