package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

/**
 * The forecast's in-memory scoring gives exactly the rows and bits of the Spark scoring, for every
 * kind of fitted model, including rows with missing values and integer predictors (whose
 * reference value Spark casts to the column's type).
 */
class EditionScoresTest extends SparkTest {
  private static final StructType SCHEMA = new StructType()
      .add("ccode", DataTypes.IntegerType).add("country", DataTypes.StringType)
      .add("gw_code", DataTypes.LongType).add("iso3", DataTypes.StringType).add("year", DataTypes.IntegerType)
      .add("ongoing", DataTypes.IntegerType).add("deaths", DataTypes.DoubleType)
      .add("gdp", DataTypes.DoubleType).add("onset", DataTypes.DoubleType);
  private static final List<String> FEATURES = List.of("ongoing", "deaths", "gdp");

  private static List<Row> panel(int n, int year, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int ongoing = rnd.nextInt(10) < 2 ? rnd.nextInt(3) : 0;
      double deaths = rnd.nextDouble() * 10;
      Double gdp = i % 17 == 3 ? null : rnd.nextGaussian();
      double p = 1 / (1 + Math.exp(-(-3 + 1.2 * ongoing + 0.2 * deaths)));
      rows.add(RowFactory.create(i + 1, "c" + i, i % 5 == 0 ? null : (long) (i + 1), "X" + i, year, ongoing, deaths,
          gdp, rnd.nextDouble() < p ? 1.0 : 0.0));
    }
    return rows;
  }

  private Map<String, FittedRiskModel> fitAll(Dataset<Row> train) {
    ModelInputs in = new ModelInputs(FEATURES, "onset", 7);
    Map<String, FittedRiskModel> fitted = new LinkedHashMap<>();
    FittedRiskModel net = new ElasticNet(ElasticNetSettings.ewp(7)).fit(train, in);
    FittedRiskModel trees = new XGBoostTrees("random_forest", new XGBoostTrees.Forest(20, 4, 2, "sqrt", 0.632, 1.0, 1))
        .fit(train, in);
    fitted.put("elastic_net", net);
    fitted.put("random_forest", trees);
    fitted.put("ensemble", EnsembleRiskModel.combine("ensemble", List.of(net, trees)));
    fitted.put("baseline_ongoing", new FrequencyBaseline("baseline_ongoing", "ongoing", 0).fit(train, in));
    fitted.put("baseline_deaths", new PipelineRiskModel("baseline_deaths", new PipelineRiskModel.Logistic(),
        List.of("deaths")).fit(train, in));
    return fitted;
  }

  @Test
  void risksAndDriversEqualTheSparkScoringBitForBit() {
    Dataset<Row> train = spark().createDataFrame(panel(600, 2000, 1), SCHEMA);
    List<Row> edition = spark().createDataFrame(panel(60, 2002, 2), SCHEMA).collectAsList();
    Dataset<Row> editionFrame = spark().createDataFrame(edition, SCHEMA);
    Map<String, FittedRiskModel> fitted = fitAll(train);
    assertThat(EditionScores.applies(fitted, edition)).isTrue();

    Dataset<Row> sparkFrame = ForecastScoring.scoreAll(fitted, editionFrame, "2002", 2);
    Dataset<Row> localFrame = spark().createDataFrame(EditionScores.risks(fitted, edition, "2002", 2),
        EditionScores.RISKS);
    assertThat(localFrame.schema()).isEqualTo(sparkFrame.schema()); // nullability too: it is in the Parquet files
    List<Row> spark = sparkFrame.collectAsList();
    List<Row> local = localFrame.collectAsList();
    assertThat(sorted(local)).isEqualTo(sorted(spark));
    assertThat(local.size()).isLessThan(5 * 60); // rows without gdp have no risk from the complete-case models

    Map<String, Double> refs = Drivers.references(train.na().drop(FEATURES.toArray(String[]::new)), FEATURES);
    assertThat(refs.get("ongoing")).isNotEqualTo(Math.floor(refs.get("ongoing"))); // cast to int: truncated
    Map<String, Map<String, Double>> own = new LinkedHashMap<>();
    fitted.forEach((id, f) -> {
      Map<String, Double> m = new LinkedHashMap<>();
      for (String c : f.metadata().get("features").split(",")) {
        m.put(c, refs.get(c));
      }
      own.put(id, m);
    });
    List<Row> sparkDrivers = new ArrayList<>();
    Dataset<Row> union = null;
    for (Map.Entry<String, FittedRiskModel> e : fitted.entrySet()) {
      Dataset<Row> d = Drivers.compute(e.getValue(), editionFrame, own.get(e.getKey()), List.of("ccode"))
          .where("risk is not null").join(editionFrame.select("ccode", "country"), "ccode")
          .selectExpr("'" + e.getKey() + "' as model", "'2002' as edition", "ccode", "country", "predictor", "value",
              "reference", "risk", "risk_with_reference", "risk_delta", "driver_rank");
      union = union == null ? d : union.unionByName(d);
      sparkDrivers.addAll(d.collectAsList());
    }
    // the mart is the union of every model's drivers: a column is nullable if any model's is
    assertThat(EditionScores.DRIVERS).isEqualTo(union.schema());
    List<Row> localDrivers = spark().createDataFrame(EditionScores.drivers(fitted, edition, own, "2002"),
        EditionScores.DRIVERS).collectAsList();
    assertThat(sorted(localDrivers)).hasSize(sparkDrivers.size()).isEqualTo(sorted(sparkDrivers));
  }

  @Test
  void aCountryTwiceOrAModelWithoutRowScorerFallsBackToSpark() {
    List<Row> twice = new ArrayList<>(spark().createDataFrame(panel(3, 2002, 3), SCHEMA).collectAsList());
    twice.add(twice.get(0));
    Map<String, FittedRiskModel> fitted = Map.of("baseline_ongoing", new FrequencyBaseline("baseline_ongoing",
        "ongoing", 0).fit(spark().createDataFrame(panel(50, 2000, 4), SCHEMA), new ModelInputs(FEATURES, "onset", 1)));
    assertThat(EditionScores.applies(fitted, twice)).isFalse();
    assertThat(EditionScores.applies(fitted, twice.subList(0, 3))).isTrue();
  }

  @Test
  void referenceValuesAreCastLikeSpark() {
    assertThat(EditionScores.castTo(1.7, DataTypes.IntegerType)).isEqualTo(1);
    assertThat(EditionScores.castTo(-1.7, DataTypes.IntegerType)).isEqualTo(-1);
    assertThat(EditionScores.castTo(0.4, DataTypes.LongType)).isEqualTo(0L);
    assertThat(EditionScores.castTo(0.4, DataTypes.DoubleType)).isEqualTo(0.4);
    assertThat(EditionScores.castTo(0.4, DataTypes.BooleanType)).isEqualTo(true);
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }
}
