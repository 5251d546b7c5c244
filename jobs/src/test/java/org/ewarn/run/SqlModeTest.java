package org.ewarn.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * One Spark SQL mode everywhere: ANSI off, in both profiles and in the tests' session. The pipeline
 * reads files whose numbers are text with "NA" in them (external forecasts, EWP tables) and reports
 * such rows (e.g. {@code no_risk}) rather than failing the whole job on the first one, which needs
 * casts that turn bad text into null.
 */
class SqlModeTest extends SparkTest {

  private static Properties profile(String name) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(HOME.resolve("conf/spark/" + name + ".properties"))) {
      p.load(r);
    }
    return p;
  }

  @Test
  void bothProfilesAndTheTestSessionRunWithAnsiOff() throws IOException {
    assertThat(profile("local").getProperty("spark.sql.ansi.enabled")).isEqualTo("false");
    assertThat(profile("cluster").getProperty("spark.sql.ansi.enabled")).isEqualTo("false");
    assertThat(spark().conf().get("spark.sql.ansi.enabled")).isEqualTo("false");
    assertThat(spark().conf().get("spark.sql.session.timeZone")).isEqualTo("UTC");
  }

  @Test
  void textThatIsNoNumberCastsToNullAsTheCodeExpects() {
    Row r = spark().sql("SELECT CAST('NA' AS DOUBLE) AS risk, CAST('7' AS INT) AS year").first();
    assertThat(r.isNullAt(0)).isTrue();
    assertThat(r.getInt(1)).isEqualTo(7);
  }

  @Test
  void aProductionSessionStartedInsideTheTestsChangesNoSqlSetting() {
    var before = List.of(spark().conf().get("spark.sql.ansi.enabled"), spark().conf().get("spark.sql.session.timeZone"));
    var session = SparkSessions.start(Settings.load(HOME, null, List.of()).sparkProfile(), "sql-mode-test");
    assertThat(session.conf().get("spark.sql.ansi.enabled")).isEqualTo(before.get(0));
    assertThat(session.conf().get("spark.sql.session.timeZone")).isEqualTo(before.get(1));
  }
}
