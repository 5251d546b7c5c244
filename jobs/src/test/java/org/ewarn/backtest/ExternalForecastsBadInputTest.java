package org.ewarn.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;

/** An external forecast file that is not one probability per country and target year is refused (exit 2). */
class ExternalForecastsBadInputTest extends SparkTest {
  private static final ExternalForecasts.Mapping COW =
      new ExternalForecasts.Mapping("ccode", "cow", null, "year", "risk", null, null, null, "test");

  private Dataset<Row> file(Object[]... rows) {
    StructType schema = new StructType().add("ccode", DataTypes.StringType).add("year", DataTypes.StringType)
        .add("risk", DataTypes.StringType);
    return spark().createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  @Test
  void risksOutsideZeroToOneAreRefusedNamingTheRows() {
    assertThatThrownBy(() -> ExternalForecasts.harmonise(
            file(new Object[] {"625", "2015", "0.2"}, new Object[] {"530", "2015", "12.5"}), COW, null))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains("outside [0, 1]", "530 2015", "12.5").doesNotContain("625");
        });
  }

  @Test
  void aCountryYearTwiceWithDifferentRisksIsRefused() {
    assertThatThrownBy(() -> ExternalForecasts.harmonise(
            file(new Object[] {"625", "2015", "0.2"}, new Object[] {"625", "2015", "0.3"}), COW, null))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains("more than once", "ccode 625 2015", "0.2", "0.3");
        });
  }

  @Test
  void aSoundFileWithAnExactRepeatAndNaRisksPasses() {
    var h = ExternalForecasts.harmonise(file(new Object[] {"625", "2015", "0.2"}, new Object[] {"625", "2015", "0.2"},
        new Object[] {"530", "2015", "NA"}, new Object[] {"2", "2015", "0"}, new Object[] {"20", "2015", "1"}), COW, null);
    assertThat(h.rows()).extracting(ExternalForecasts.Matched::ccode).containsExactly(625, 625, 2, 20);
    assertThat(h.unmatched()).extracting(ExternalForecasts.Unmatched::reason).containsExactly("no_risk");
  }
}
