package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

/** Drivers of a tiny model whose every number can be checked by hand. */
class DriversTest extends SparkTest {
  private static final StructType SCHEMA = new StructType()
      .add("ccode", DataTypes.IntegerType).add("ongoing", DataTypes.DoubleType)
      .add("deaths", DataTypes.DoubleType).add("onset", DataTypes.DoubleType);

  private Dataset<Row> rows(Object[]... values) {
    return spark().createDataFrame(java.util.Arrays.stream(values).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void deltaIsTheRiskChangeWhenOnePredictorTakesItsReferenceValue() {
    // 8 training rows: ongoing = 1 in 3 (2 onsets), ongoing = 0 in 5 (1 onset)
    Dataset<Row> train = rows(
        new Object[] {1, 1.0, 10.0, 1.0}, new Object[] {2, 1.0, 0.0, 1.0}, new Object[] {3, 1.0, 4.0, 0.0},
        new Object[] {4, 0.0, 0.0, 1.0}, new Object[] {5, 0.0, 2.0, 0.0}, new Object[] {6, 0.0, 0.0, 0.0},
        new Object[] {7, 0.0, 0.0, 0.0}, new Object[] {8, 0.0, 0.0, 0.0});
    FittedRiskModel model = new FrequencyBaseline("baseline_ongoing", "ongoing", 0)
        .fit(train, new ModelInputs(List.of("ongoing"), "onset", 1));

    Map<String, Double> refs = Drivers.references(train, List.of("ongoing", "deaths"));
    assertThat(refs.get("ongoing")).isEqualTo(0.0); // the mode: five zeros, three ones
    assertThat(refs.get("deaths")).isCloseTo(16.0 / 8, within(1e-12)); // numeric: the mean

    Dataset<Row> countries = rows(new Object[] {100, 1.0, 7.0, null}, new Object[] {200, 0.0, 1.0, null});
    List<Row> drivers = Drivers.compute(model, countries, refs, List.of("ccode"))
        .orderBy("ccode", "driver_rank").collectAsList();
    assertThat(drivers).hasSize(4);

    // country 100: risk 2/3 with ongoing = 1; at the reference (0) the risk is 1/5
    Row top = drivers.get(0);
    assertThat(top.<Integer>getAs("ccode")).isEqualTo(100);
    assertThat(top.<String>getAs("predictor")).isEqualTo("ongoing");
    assertThat(top.<Double>getAs("value")).isEqualTo(1.0);
    assertThat(top.<Double>getAs("reference")).isEqualTo(0.0);
    assertThat(top.<Double>getAs("risk_delta")).isCloseTo(2.0 / 3 - 1.0 / 5, within(1e-12));
    assertThat(top.<Integer>getAs("driver_rank")).isEqualTo(1);
    // deaths is not in the model: moving it to its mean changes nothing
    Row second = drivers.get(1);
    assertThat(second.<String>getAs("predictor")).isEqualTo("deaths");
    assertThat(second.<Double>getAs("risk_delta")).isZero();
    assertThat(second.<Double>getAs("reference")).isEqualTo(2.0);
    // country 200 already sits at the reference of both predictors
    assertThat(drivers.get(2).<Double>getAs("risk_delta")).isZero();
    assertThat(drivers.get(3).<Double>getAs("risk_delta")).isZero();
  }
}
