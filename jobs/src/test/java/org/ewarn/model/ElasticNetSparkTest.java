package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

class ElasticNetSparkTest extends SparkTest {

  private Dataset<Row> frame(double[][] x, double[] y) {
    StructType schema = new StructType()
        .add("year", DataTypes.IntegerType)
        .add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
        .add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create(2000 + i % 10, x[i][0], x[i][1], x[i][2], y[i]));
    }
    return spark().createDataFrame(rows, schema);
  }

  @Test
  void withLambdaNearZeroTheSolutionIsTheUnpenalisedMllibFit() {
    double[][] x = ElasticNetCvTest.features(400, 21);
    double[] y = ElasticNetCvTest.outcomes(x, 21);
    Dataset<Row> data = new VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
        .setOutputCol("features").transform(frame(x, y));
    LogisticRegressionModel mle = new LogisticRegression().setRegParam(0.0).setLabelCol("label")
        .setMaxIter(1000).setTol(1e-12).setStandardization(false).fit(data);

    int[] all = java.util.stream.IntStream.range(0, x.length).toArray();
    ElasticNetPath.Standardised s = ElasticNetPath.Standardised.of(x, all, 3);
    double[] path = ElasticNetPath.lambdaPath(ElasticNetPath.lambdaMax(s, y, 0.5), 100, 1e-9);
    ElasticNetPath.Solutions sol =
        ElasticNetCv.path(x, y, path, ElasticNetSettings.ewp(1).withThreshold(1e-14));
    int last = sol.size() - 1;
    double[] beta = new double[3];
    double b0 = ElasticNetCv.unstandardise(sol.intercepts()[last], sol.betas()[last], s, beta);
    double[] expected = mle.coefficients().toArray();
    for (int j = 0; j < 3; j++) {
      assertThat(beta[j]).isCloseTo(expected[j], within(1e-5));
    }
    assertThat(b0).isCloseTo(mle.intercept(), within(1e-5));
  }

  @Test
  void sparkScoresEqualInMemoryScoresAndSurviveSaveAndReload() throws Exception {
    double[][] x = ElasticNetCvTest.features(300, 3);
    double[] y = ElasticNetCvTest.outcomes(x, 3);
    Dataset<Row> data = frame(x, y);
    ElasticNetModel model = new ElasticNet(ElasticNetSettings.ewp(5))
        .fit(data, new ModelInputs(List.of("a", "b", "c"), "label", 5));
    assertThat(model.metadata()).containsEntry("training_years", "2000-2009")
        .containsEntry("training_rows", "300").containsEntry("seed", "5");

    Path dir = Files.createTempDirectory("elastic-net");
    model.save(dir);
    ElasticNetModel reloaded = ElasticNetModel.load(dir);
    List<Row> original = model.score(data).select("risk").collectAsList();
    List<Row> again = reloaded.score(data).select("risk").collectAsList();
    assertThat(again).isEqualTo(original);
    for (int i = 0; i < x.length; i++) {
      assertThat(original.get(i).getDouble(0)).isEqualTo(model.fit().risk(x[i]));
    }
    assertThat(reloaded.fit().coefficients()).containsExactly(model.fit().coefficients());
    assertThat(reloaded.metadata()).isEqualTo(model.metadata());
  }
}
