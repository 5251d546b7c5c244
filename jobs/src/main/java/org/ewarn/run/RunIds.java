package org.ewarn.run;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids sort by time and stay readable in paths: 20261126T120305Z-3f9a. */
public final class RunIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String next(Clock clock) {
    return STAMP.format(clock.instant())
        + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }
}
