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
    return super.conf()
        .set("spark.master", "local[2]")
        .set("spark.sql.shuffle.partitions", "4")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
  }

  @BeforeEach
  void startSharedSpark() {
    runBefore();
  }
  // No @AfterAll stop: the session lives for the whole test JVM, so each class does not pay 4–7 s.
}
