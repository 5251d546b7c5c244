package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.panel.WarehouseFixture;
import org.junit.jupiter.api.Test;

/**
 * Fits of several training windows run side by side give exactly the models each window gets
 * when fitted alone, one model after the other (the forecast's guarantee that running fits
 * concurrently changed no published risk), and the ensemble is the average of its members' fits.
 */
class ConcurrentFitsTest extends SparkTest {

  private static Map<Integer, Double> risks(FittedRiskModel m, Dataset<Row> rows) {
    Map<Integer, Double> out = new HashMap<>();
    for (Row r : m.score(rows).where(col("risk").isNotNull()).select("ccode", "risk").collectAsList()) {
      out.put(r.getInt(0), r.getDouble(1));
    }
    return out;
  }

  @Test
  void concurrentFitsAreTheModelsOfSequentialFits() {
    // fewer trees and rounds than conf/models.conf: the property does not depend on them
    Settings settings = Settings.load(HOME, null, List.of("models.random-forest.trees=20",
        "models.gbt.iterations=6", "models.enabled=[random_forest, gbt, ensemble, baseline_battle_deaths]",
        "models.ensemble.members=[random_forest, gbt, baseline_ongoing]"));
    List<RiskModel> models = ModelRegistry.enabled(settings);
    ModelInputs inputs = new ModelInputs(settings.strings("models.features"), "mk_onset_1or2",
        settings.longValue("models.seed", 0));
    Dataset<Row> panel = new WarehouseFixture(spark(), HOME).predictors().cache();
    Dataset<Row> scored = panel.where(col("year").equalTo(2022)).cache();
    List<ConcurrentFits.Window> windows = new ArrayList<>();
    for (int last : List.of(2012, 2016, 2020)) {
      windows.add(new ConcurrentFits.Window("years <= " + last, panel.where(col("year").leq(last)), inputs));
    }

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Map<String, FittedRiskModel>> together =
        new ConcurrentFits(3, new PrintStream(log, true, StandardCharsets.UTF_8)).fit(models, windows);

    assertThat(together).hasSize(3);
    for (int i = 0; i < windows.size(); i++) {
      Map<String, FittedRiskModel> fits = together.get(i);
      // the enabled models in their configured order; the ensemble's extra member is not published
      assertThat(fits.keySet()).containsExactly("random_forest", "gbt", "ensemble", "baseline_battle_deaths");
      Dataset<Row> train = windows.get(i).train();
      for (RiskModel m : models) {
        if (m instanceof EnsembleRiskModel) {
          continue;
        }
        Map<Integer, Double> alone = risks(m.fit(train, inputs), scored);
        assertThat(risks(fits.get(m.id()), scored)).as(m.id() + " " + windows.get(i).label())
            .hasSizeGreaterThan(150).isEqualTo(alone);
      }
      Map<Integer, Double> rf = risks(fits.get("random_forest"), scored);
      Map<Integer, Double> gbt = risks(fits.get("gbt"), scored);
      Map<Integer, Double> ongoing = risks(ModelRegistry.model("baseline_ongoing", settings).fit(train, inputs), scored);
      Map<Integer, Double> ensemble = risks(fits.get("ensemble"), scored);
      assertThat(ensemble).hasSizeGreaterThan(150);
      ensemble.forEach((ccode, risk) -> assertThat(risk).as("ensemble " + ccode)
          .isCloseTo((rf.get(ccode) + gbt.get(ccode) + ongoing.get(ccode)) / 3, org.assertj.core.data.Offset.offset(1e-12)));
    }
    // windows differ, so their models do
    assertThat(risks(together.get(0).get("random_forest"), scored))
        .isNotEqualTo(risks(together.get(2).get("random_forest"), scored));
    String progress = log.toString(StandardCharsets.UTF_8);
    assertThat(progress).contains("(3/3,").contains("years <= 2012: models fitted").contains("s left)");
  }
}
