package org.ewarn;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base for tests that need Spark: one local session shared by every test class in the JVM
 * (surefire runs one reused fork), DataFrame assertions from spark-testing-base.
 */
public abstract class SparkTest extends JavaDataFrameSuiteBase {

  /** The project folder (holds conf/ and the bundled data). */
  public static final Path HOME = org.ewarn.config.Settings.home();

  @Override
  public boolean enableHiveSupport() {
    return false;
  }

  @Override
  public SparkConf conf() {
    SparkConf conf = super.conf()
        .set("spark.master", "local[2]")
        .set("spark.sql.shuffle.partitions", "4")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    // SQL semantics (ANSI mode, time zone) exactly as production's session has them: a test
    // session on Spark's defaults would be flipped by the first command a test runs in-process,
    // and results would depend on test order.
    productionSqlSettings().forEach(conf::set);
    return conf;
  }

  /** The {@code spark.sql.*} settings other than sizing of the local profile, conf/spark/local.properties. */
  public static java.util.Map<String, String> productionSqlSettings() {
    java.util.Properties props = new java.util.Properties();
    try (var r = java.nio.file.Files.newBufferedReader(HOME.resolve("conf/spark/local.properties"))) {
      props.load(r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String k : props.stringPropertyNames()) {
      if (k.startsWith("spark.sql.") && !k.equals("spark.sql.shuffle.partitions")) {
        out.put(k, props.getProperty(k));
      }
    }
    return out;
  }

  @BeforeEach
  void startSharedSpark() {
    runBefore();
  }
  // No @AfterAll stop: the session lives for the whole test JVM, so each class does not pay 4–7 s.
}
