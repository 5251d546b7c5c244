package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small result tables as one CSV file each (header = column names, missing values as {@code NA},
 * as in R and in the EWP back-test files they are compared with). Written to a temporary file and
 * renamed, so a reader never sees half a table.
 */
public final class CsvTables {
  public static final String MISSING = "NA";

  private CsvTables() {}

  public static Path write(Path file, StructType schema, List<Row> rows) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setNullString(MISSING)
          .setHeader(schema.fieldNames()).get();
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          CSVPrinter out = new CSVPrinter(w, format)) {
        StructField[] fields = schema.fields();
        Object[] values = new Object[fields.length];
        for (Row r : rows) {
          for (int i = 0; i < fields.length; i++) {
            Object v = r.isNullAt(i) ? null : r.get(i);
            values[i] = v instanceof Double d && d.isNaN() ? null : v;
          }
          out.printRecord(values);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
