package org.ewarn.io;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small result tables as one CSV file each (header = column names, missing values as {@code NA},
 * as in R and in the EWP back-test files they are compared with). The caller writes the bytes with
 * {@code Storage.replace}, so a reader never sees half a table.
 */
public final class CsvTables {
  public static final String MISSING = "NA";

  private CsvTables() {}

  public static byte[] bytes(StructType schema, List<Row> rows) {
    StringWriter text = new StringWriter();
    CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setNullString(MISSING)
        .setHeader(schema.fieldNames()).get();
    try (CSVPrinter out = new CSVPrinter(text, format)) {
      StructField[] fields = schema.fields();
      Object[] values = new Object[fields.length];
      for (Row r : rows) {
        for (int i = 0; i < fields.length; i++) {
          Object v = r.isNullAt(i) ? null : r.get(i);
          values[i] = v instanceof Double d && d.isNaN() ? null : v;
        }
        out.printRecord(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot format a CSV table", e);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
