package org.ewarn.run;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;

/**
 * Builds the one Spark session of a run from {@code conf/spark/<profile>.properties}. A master set
 * by spark-submit wins over the file, so the same profile serves local runs and clusters.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession start(Settings settings, String appName) {
    String profile = settings.string("spark.profile");
    Path file = settings.projectHome().resolve("conf/spark/" + profile + ".properties");
    if (!Files.isRegularFile(file)) {
      throw settings.problem("spark.profile",
          "the name of a file in conf/spark/ (without .properties), but " + file + " does not exist");
    }
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
    if (settings.has("spark.conf")) {
      settings.raw().getConfig("spark.conf").entrySet()
          .forEach(e -> builder.config("spark." + e.getKey(), String.valueOf(e.getValue().unwrapped())));
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(props.getProperty("ewarn.log-level", "WARN"));
    return spark;
  }
}
