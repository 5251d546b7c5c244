package org.ewarn.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run's Spark session is built from, bound once from the configuration: the properties file
 * {@code conf/spark/<name>.properties} and the {@code spark.conf} overrides (keys without the
 * {@code spark.} prefix). A record, so the run layer never reads the configuration itself.
 */
public record SparkProfile(String name, Path file, Map<String, String> overrides) {
  public SparkProfile {
    overrides = Map.copyOf(overrides);
  }
}
