package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.panel.WarehouseFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The XGBoost engine of the tree models on the bundled EWP panel: it learns the onset signal out
 * of sample, reproduces with its seed, and the Spark interface fits the same trees as the
 * in-memory path the annual back-test takes.
 */
class XGBoostTreesTest extends SparkTest {
  private static Dataset<Row> panel;
  private static Settings settings;
  private static ModelInputs inputs;

  @BeforeEach
  void data() {
    if (panel == null) {
      settings = Settings.load(HOME, null, List.of());
      panel = new WarehouseFixture(spark(), HOME).predictors().cache();
      inputs = new ModelInputs(settings.strings("models.features"), "mk_onset_1or2", settings.longValue("models.seed", 0));
    }
  }

  /** Complete-case rows of the years, features then outcome, in (year, ccode) order as the back-test panel. */
  private static double[][] rows(int fromYear, int toYear, List<Double> outcomes) {
    List<String> cols = new ArrayList<>(inputs.features());
    cols.add(inputs.outcome());
    List<Row> rows = panel.where(col("year").between(fromYear, toYear))
        .na().drop(cols.toArray(String[]::new)).orderBy("year", "ccode")
        .selectExpr(cols.stream().map(c -> "cast(" + c + " as double)").toArray(String[]::new)).collectAsList();
    double[][] x = new double[rows.size()][inputs.features().size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = rows.get(i).getDouble(j);
      }
      outcomes.add(rows.get(i).getDouble(x[i].length));
    }
    return x;
  }

  /** The share of (onset, non-onset) pairs ranked the right way round, ties counting half. */
  private static double auc(double[] risk, List<Double> outcome) {
    double right = 0;
    long pairs = 0;
    for (int i = 0; i < risk.length; i++) {
      for (int j = 0; j < risk.length; j++) {
        if (outcome.get(i) == 1.0 && outcome.get(j) == 0.0) {
          pairs++;
          right += risk[i] > risk[j] ? 1 : risk[i] == risk[j] ? 0.5 : 0;
        }
      }
    }
    return right / pairs;
  }

  @Test
  void theForestRanksLaterOnsetsFarBetterThanChanceAndReproducesWithItsSeed() {
    XGBoostTrees forest = (XGBoostTrees) ModelRegistry.model(ModelRegistry.RANDOM_FOREST, settings);
    List<Double> yTrain = new ArrayList<>();
    double[][] xTrain = rows(1960, 2000, yTrain);
    List<Double> yTest = new ArrayList<>();
    double[][] xTest = rows(2003, 2020, yTest);
    double[] y = yTrain.stream().mapToDouble(Double::doubleValue).toArray();

    double[] risks = forest.train(xTrain, y, inputs.seed()).risks(xTest);
    assertThat(yTest.stream().filter(v -> v == 1.0).count()).isGreaterThan(20);
    // the EWP elastic net reaches ~0.8 on these years; a forest that learnt nothing would be at 0.5
    assertThat(auc(risks, yTest)).isGreaterThan(0.75);
    assertThat(java.util.Arrays.stream(risks).boxed().toList()).allSatisfy(r -> assertThat(r).isStrictlyBetween(0.0, 1.0));

    assertThat(forest.train(xTrain, y, inputs.seed()).risks(xTest)).isEqualTo(risks);
    assertThat(forest.train(xTrain, y, inputs.seed() + 1).risks(xTest)).isNotEqualTo(risks);
    // threads share the work of one fit, not the randomness
    assertThat(forest.withThreads(2).train(xTrain, y, inputs.seed()).risks(xTest)).isEqualTo(risks);
  }

  @Test
  void theSparkInterfaceFitsTheSameTreesAsTheInMemoryPath() {
    for (String id : List.of(ModelRegistry.RANDOM_FOREST, ModelRegistry.GBT)) {
      XGBoostTrees model = (XGBoostTrees) ModelRegistry.model(id, settings);
      List<Double> yTrain = new ArrayList<>();
      double[][] xTrain = rows(1960, 2015, yTrain);
      TrainedTrees inMemory = model.train(xTrain, yTrain.stream().mapToDouble(Double::doubleValue).toArray(),
          inputs.seed());
      // the frame reshuffled: the fit must not depend on the rows' order in Spark
      XGBoostTreesModel fitted = (XGBoostTreesModel) model.fit(
          panel.where(col("year").leq(2015)).repartition(3), inputs);
      List<Row> scored = fitted.score(panel.where(col("year").equalTo(2017))).orderBy("ccode").collectAsList();
      assertThat(scored).as(id).hasSizeGreaterThan(150);
      for (Row r : scored) {
        double[] v = inputs.features().stream().mapToDouble(f -> ((Number) r.getAs(f)).doubleValue()).toArray();
        assertThat(r.<Double>getAs("risk")).as(id + " ccode " + r.getAs("ccode")).isEqualTo(inMemory.risk(v));
      }
      assertThat(fitted.metadata()).containsEntry("engine", "xgboost").containsEntry("training_years", "1960-2015")
          .containsEntry("training_rows", "" + xTrain.length);
    }
  }

  @Test
  void theEngineIsChosenInTheConfiguration() {
    Settings mllib = Settings.load(HOME, null, List.of("models.random-forest.engine=mllib", "models.gbt.engine=mllib"));
    assertThat(ModelRegistry.model(ModelRegistry.RANDOM_FOREST, mllib)).isInstanceOf(PipelineRiskModel.class);
    assertThat(ModelRegistry.model(ModelRegistry.GBT, mllib)).isInstanceOf(PipelineRiskModel.class);
    assertThat(ModelRegistry.model(ModelRegistry.RANDOM_FOREST, settings)).isInstanceOf(XGBoostTrees.class);
    Settings wrong = Settings.load(HOME, null, List.of("models.random-forest.engine=sklearn"));
    assertThatThrownBy(() -> ModelRegistry.model(ModelRegistry.RANDOM_FOREST, wrong))
        .hasMessageContaining("models.random-forest.engine").hasMessageContaining("mllib or xgboost");
  }

  @Test
  void featuresPerSplitMatchMllibsCounts() {
    // XGBoost keeps floor(share x features): 7 of 38 for sqrt as MLlib's ceil(sqrt(38))
    assertThat(Math.floor(XGBoostTrees.nodeColumnShare("sqrt", 38) * 38)).isEqualTo(7);
    assertThat(Math.floor(XGBoostTrees.nodeColumnShare("onethird", 38) * 38)).isEqualTo(13);
    assertThat(Math.floor(XGBoostTrees.nodeColumnShare("log2", 38) * 38)).isEqualTo(6);
    assertThat(Math.floor(XGBoostTrees.nodeColumnShare("10", 38) * 38)).isEqualTo(10);
    assertThat(XGBoostTrees.nodeColumnShare("all", 38)).isEqualTo(1.0);
    assertThatThrownBy(() -> XGBoostTrees.nodeColumnShare("half", 38)).hasMessageContaining("feature-subset-strategy");
  }
}
