package org.ewarn.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.ewarn.io.DelimitedFiles;
import org.junit.jupiter.api.Test;

/** The record typer on single records: values, the first reason a record fails, and messages. */
class TypingTest {
  private static final List<Typing.ColumnSpec> COLUMNS = List.of(
      spec("id", DataTypes.LongType),
      spec("year", DataTypes.IntegerType),
      spec("best", DataTypes.IntegerType),
      spec("latitude", DataTypes.DoubleType),
      new Typing.ColumnSpec("date_start", DataTypes.DateType, List.of("yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd", "d MMMM yyyy")),
      spec("side_a", DataTypes.StringType));
  private static final DelimitedFiles.RecordShape SHAPE =
      Typing.shape(COLUMNS, List.of("id", "year"), List.of("", "NA", "NULL"));
  // the file's header has the six columns in another order, to check positions are followed
  private static final DelimitedFiles.FileLayout LAYOUT =
      new DelimitedFiles.FileLayout("f.csv", "UTF-8", ',', 6, new int[] {5, 4, 3, 2, 1, 0});
  private static final UTF8String FILE = UTF8String.fromString("f.csv");

  private static Typing.ColumnSpec spec(String name, DataType type) {
    return new Typing.ColumnSpec(name, type, List.of());
  }

  /** Fields in file order: side_a, date_start, latitude, best, year, id. */
  private static InternalRow type(String... fields) {
    return SHAPE.row(LAYOUT, FILE, 7, fields);
  }

  private static String reason(InternalRow r) {
    return r.isNullAt(8) ? null : r.getUTF8String(8).toString();
  }

  private static String message(InternalRow r) {
    return r.isNullAt(9) ? null : r.getUTF8String(9).toString();
  }

  @Test
  void cleanRecordIsTypedFromItsHeaderPositions() {
    InternalRow r = type(" Government of Mali ", "2017-07-31 00:00:00.000", "14.5", "1945.0", "2017", "244657");
    assertThat(reason(r)).isNull();
    assertThat(r.getUTF8String(0).toString()).isEqualTo("f.csv");
    assertThat(r.getLong(1)).isEqualTo(7);
    assertThat(r.getLong(2)).isEqualTo(244657L);
    assertThat(r.getInt(3)).isEqualTo(2017);
    assertThat(r.getInt(4)).as("R's 1945.0 is a whole number").isEqualTo(1945);
    assertThat(r.getDouble(5)).isEqualTo(14.5);
    assertThat(r.getInt(6)).isEqualTo((int) LocalDate.of(2017, 7, 31).toEpochDay());
    assertThat(r.getUTF8String(7).toString()).as("trimmed").isEqualTo("Government of Mali");
    assertThat(r.getArray(10).numElements()).as("fields as read").isEqualTo(6);
    assertThat(r.getArray(10).getUTF8String(0).toString()).isEqualTo(" Government of Mali ");
  }

  @Test
  void laterDatePatternsAndEnglishMonthNamesAreTried() {
    assertThat(type("x", "2020-02-29", "", "0", "2020", "1").getInt(6))
        .isEqualTo((int) LocalDate.of(2020, 2, 29).toEpochDay());
    assertThat(type("x", "15 January 2020", "", "0", "2020", "1").getInt(6))
        .isEqualTo((int) LocalDate.of(2020, 1, 15).toEpochDay());
  }

  @Test
  void nullTokensReadAsEmptyAndOptionalColumnsMayBeEmpty() {
    InternalRow r = type("NA", "", "NULL", "", "2020", "1");
    assertThat(reason(r)).isNull();
    for (int i = 4; i <= 7; i++) {
      assertThat(r.isNullAt(i)).as("column %d", i).isTrue();
    }
  }

  @Test
  void valuesThatDoNotParseNameTheColumnAndWhatWasExpected() {
    assertThat(message(type("x", "", "", "1.5", "2020", "1")))
        .isEqualTo("column best: '1.5' is not a whole number");
    assertThat(reason(type("x", "", "", "1.5", "2020", "1"))).isEqualTo("bad_integer");
    assertThat(reason(type("x", "", "12d", "", "2020", "1"))).as("no Java float suffixes").isEqualTo("bad_number");
    assertThat(reason(type("x", "", "0x1p3", "", "2020", "1"))).as("no hex").isEqualTo("bad_number");
    assertThat(type("x", "", "1e3", "", "2020", "1").getDouble(5)).isEqualTo(1000.0);
    assertThat(message(type("x", "2019-02-29", "", "", "2020", "1")))
        .as("strict calendar")
        .isEqualTo("column date_start: '2019-02-29' is not a date (yyyy-MM-dd HH:mm:ss.SSS or yyyy-MM-dd or d MMMM yyyy)");
    assertThat(reason(type("x", "", "", "", "2020", "3000000000"))).as("int range").isNull();
    assertThat(reason(type("x", "", "", "3000000000", "2020", "1"))).as("int range").isEqualTo("bad_integer");
    assertThat(reason(type("x", "", "", "", "2020", "12345678901234567890"))).isEqualTo("bad_integer");
  }

  @Test
  void firstFailureWinsInRecordThenColumnOrder() {
    InternalRow shortRow = SHAPE.row(LAYOUT, FILE, 7, new String[] {"x", "", "", "oops"});
    assertThat(reason(shortRow)).isEqualTo("short_row");
    assertThat(message(shortRow)).isEqualTo("record has 4 fields, the header has 6");
    assertThat(reason(SHAPE.row(LAYOUT, FILE, 7, new String[] {"x", "", "", "", "2020", "1", "extra"})))
        .isEqualTo("extra_fields");
    // id is checked before year, and a missing required value before a bad optional one
    assertThat(message(type("x", "", "", "bad", "", ""))).isEqualTo("column id is empty; a value is required");
    assertThat(reason(type("x", "", "", "bad", "", "5"))).isEqualTo("missing_value");
  }
}
