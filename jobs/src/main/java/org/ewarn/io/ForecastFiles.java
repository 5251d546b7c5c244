package org.ewarn.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.run.StageFailure;

/** Reads an external forecast file (CSV, optionally gzip) with column names normalised as ingest does. */
public final class ForecastFiles {
  private ForecastFiles() {}

  public static Dataset<Row> read(SparkSession spark, Path file) {
    if (!Files.isRegularFile(file)) {
      throw StageFailure.config("forecast file " + file + " does not exist");
    }
    Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true")
        .option("nullValue", "NA").option("mode", "FAILFAST").csv(file.toAbsolutePath().toString());
    String[] names = raw.columns();
    String[] normalised = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      String n = normalise(names[i]);
      normalised[i] = n.isEmpty() ? "row_label_" + (i + 1) : n;
    }
    return raw.toDF(normalised);
  }

  /** lower case, runs of characters other than a-z0-9 become '_', no leading/trailing '_'. */
  public static String normalise(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }
}
