package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The manifest's interval method, in the form ForecastAction writes, as values. */
class IntervalMethodTest {
  @Test
  void bootstrapSentenceOfTheForecastManifest() {
    IntervalMethod m = IntervalMethod.parse(MartFixtures.INTERVAL_METHOD).orElseThrow();
    assertThat(m.replicates()).isEqualTo(200);
    assertThat(m.lambda()).isEqualTo(0.002357);
    assertThat(m.model()).isEqualTo("elastic_net");
    assertThat(m.horizonYears()).isEqualTo(2);
  }

  @Test
  void otherSentencesAreNotGuessed() {
    assertThat(IntervalMethod.parse(null)).isEmpty();
    assertThat(IntervalMethod.parse("fixture band")).isEmpty();
    // one word changed: the report prints the manifest's own text instead of a wrong translation
    assertThat(IntervalMethod.parse(MartFixtures.INTERVAL_METHOD.replace("percentile", "basic"))).isEmpty();
  }
}
