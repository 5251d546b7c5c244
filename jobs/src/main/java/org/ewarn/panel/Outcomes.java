package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Onsets of EWP mass-killing episodes, the outcome every panel and model is about. */
final class Outcomes {
  private Outcomes() {}

  /**
   * One row per episode: key (the given country key, e.g. gw_code or cow_code), onset_year and
   * 0/1 flags any_led, state_led, non_state_led.
   */
  static Dataset<Row> ewpOnsets(Dataset<Row> episodes, String keyColumn) {
    Column key = keyColumn.equals("cow_code") && hasColumn(episodes, "mk_location_cow")
        ? org.apache.spark.sql.functions.coalesce(col("cow_code"), col("mk_location_cow").cast("int"))
        : col(keyColumn);
    Column leader = org.apache.spark.sql.functions.lower(col("state_led_or_non_state_led"));
    return episodes
        .select(key.cast("int").as("key"), col("startyear").cast("double").cast("int").as("onset_year"), leader.as("leader"))
        .where(col("key").isNotNull().and(col("onset_year").isNotNull()))
        .select(col("key"), col("onset_year"), lit(1).as("any_led"),
            when(col("leader").startsWith("state"), 1).otherwise(0).as("state_led"),
            when(col("leader").startsWith("non"), 1).otherwise(0).as("non_state_led"));
  }

  static boolean hasColumn(Dataset<Row> d, String name) {
    return java.util.Arrays.asList(d.columns()).contains(name);
  }
}
