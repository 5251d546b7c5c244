package org.ewarn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkTestSmokeTest extends SparkTest {
  @Test
  void sessionIsShared() {
    assertThat(spark().range(5).count()).isEqualTo(5);
  }
}
