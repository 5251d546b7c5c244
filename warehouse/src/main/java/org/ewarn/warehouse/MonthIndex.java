package org.ewarn.warehouse;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Months as consecutive whole numbers, {@code year × 12 + month − 1}, so a window of months is a
 * plain range and a lead time a difference. Marts store the index; people see {@code YYYY-MM}.
 * (The Spark column form of the same formula lives beside the panel code, tested against this.)
 */
public final class MonthIndex {
  private MonthIndex() {}

  public static int of(int year, int month) {
    if (month < 1 || month > 12) {
      throw new IllegalArgumentException("month " + month + " is not 1-12");
    }
    return year * 12 + month - 1;
  }

  public static int of(YearMonth month) {
    return of(month.getYear(), month.getMonthValue());
  }

  public static YearMonth month(int index) {
    return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
  }

  /** {@code YYYY-MM}, e.g. 24289 → "2024-02". */
  public static String label(int index) {
    return String.format("%04d-%02d", Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
  }

  /** The index of a {@code YYYY-MM} label; anything else is refused with the label in the message. */
  public static int parse(String yyyyMm) {
    try {
      return of(YearMonth.parse(yyyyMm));
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("'" + yyyyMm + "' is not a month (YYYY-MM)", e);
    }
  }
}
