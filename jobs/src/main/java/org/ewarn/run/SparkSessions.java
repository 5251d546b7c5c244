package org.ewarn.run;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one Spark session of a run from {@code conf/spark/<profile>.properties}. A master set
 * by spark-submit wins over the file, so the same profile serves local runs and clusters.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession start(SparkProfile profile, String appName) {
    Path file = profile.file();
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    boolean submitted = System.getProperty("spark.master") != null;
    for (String key : props.stringPropertyNames()) {
      if (submitted && key.equals("spark.master")) {
        continue;
      }
      builder.config(key, props.getProperty(key));
    }
    profile.overrides().forEach((key, value) -> builder.config("spark." + key, value));
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(props.getProperty("ewarn.log-level", "WARN"));
    return spark;
  }
}
