package org.ewarn.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;

/**
 * The bundled EWP prepared predictors as the ingest stage publishes them ({@code ewp_predictors}:
 * normalised names, year and ccode as integers, everything else double), read with an explicit
 * schema built from the file's own header.
 */
final class EwpFixture {
  static final Path FILE = SparkTest.HOME.resolve("jobs/data/ewp/prepared-predictors-2025.csv.gz");

  private EwpFixture() {}

  static String normalise(String name) {
    return name.toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }

  static List<String> header() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(FILE)), StandardCharsets.UTF_8))) {
      return List.of(r.readLine().replace("\"", "").split(","));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dataset<Row> predictors(SparkSession spark) {
    StructType schema = new StructType();
    for (String raw : header()) {
      String name = normalise(raw);
      schema = schema.add(name, switch (name) {
        case "ewp_name" -> DataTypes.StringType;
        case "year", "ccode" -> DataTypes.IntegerType;
        default -> DataTypes.DoubleType;
      });
    }
    return spark.read().option("header", "true").option("nullValue", "NA").schema(schema)
        .csv(FILE.toString());
  }
}
