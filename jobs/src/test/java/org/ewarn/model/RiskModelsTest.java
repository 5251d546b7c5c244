package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.panel.WarehouseFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configured models on the real EWP panel: seeded determinism and save/reload. */
@org.junit.jupiter.api.Tag("slow")
class RiskModelsTest extends SparkTest {
  private static Dataset<Row> train;
  private static Dataset<Row> scoreRows;
  private static Settings settings;
  private static ModelInputs inputs;

  @BeforeEach
  void data() {
    if (train == null) {
      // fewer trees and boosting rounds than conf/models.conf: the properties tested do not depend on them
      settings = Settings.load(HOME, null, List.of("models.random-forest.trees=40", "models.gbt.iterations=10"));
      Dataset<Row> panel = new WarehouseFixture(spark(), HOME).predictors();
      train = panel.where(col("year").leq(2020)).cache();
      scoreRows = panel.where(col("year").equalTo(2022)).cache();
      inputs = new ModelInputs(settings.strings("models.features"), "mk_onset_1or2", settings.longValue("models.seed", 0));
    }
  }

  private static final Map<String, FittedRiskModel> FITTED = new HashMap<>();

  /**
   * The model {@code id} fitted on the training years with the configured seed, once per class:
   * the tests use the same fits (the seed test refits on purpose, beside this one).
   */
  private static FittedRiskModel fitted(String id) {
    return FITTED.computeIfAbsent(id, k -> ModelRegistry.model(k, settings).fit(train, inputs));
  }

  private static Map<Integer, Double> risks(FittedRiskModel m) {
    Map<Integer, Double> out = new HashMap<>();
    for (Row r : m.score(scoreRows).where(col("risk").isNotNull()).select("ccode", "risk").collectAsList()) {
      out.put(r.getInt(0), r.getDouble(1));
    }
    return out;
  }

  @Test
  void sameSeedGivesTheSameRisksAndAnotherSeedDoesNot() {
    for (String id : List.of(ModelRegistry.RANDOM_FOREST, ModelRegistry.GBT)) {
      RiskModel model = ModelRegistry.model(id, settings);
      Map<Integer, Double> first = risks(fitted(id));
      Map<Integer, Double> second = risks(model.fit(train, inputs));
      assertThat(first).as(id).hasSizeGreaterThan(150).isEqualTo(second);
      assertThat(first.values()).allSatisfy(r -> assertThat(r).isBetween(0.0, 1.0));
      Map<Integer, Double> otherSeed = risks(model.fit(train,
          new ModelInputs(inputs.features(), inputs.outcome(), inputs.seed() + 1)));
      assertThat(otherSeed).as(id + " with another seed").isNotEqualTo(first);
    }
  }

  @Test
  void everyEnabledModelReloadsAndScoresIdentically(@TempDir Path dir) {
    Map<String, FittedRiskModel> fittedById = new HashMap<>();
    for (RiskModel model : ModelRegistry.enabled(settings)) {
      long t0 = System.nanoTime();
      FittedRiskModel fitted = model instanceof EnsembleRiskModel e
          ? EnsembleRiskModel.combine(e.id(), e.memberIds().stream().map(fittedById::get).toList())
          : fitted(model.id());
      fittedById.put(model.id(), fitted);
      System.err.printf("fit %s: %.1f s%n", model.id(), (System.nanoTime() - t0) / 1e9);
      Path saved = dir.resolve(model.id());
      StoredModel.save(fitted, saved, Map.of("edition", "test"));
      assertThat(Files.isRegularFile(saved.resolve(StoredModel.FILE))).isTrue();
      FittedRiskModel reloaded = StoredModel.load(saved);
      assertThat(reloaded.modelId()).isEqualTo(model.id());
      Map<Integer, Double> before = risks(fitted);
      assertThat(before).as(model.id()).hasSizeGreaterThan(150);
      assertThat(risks(reloaded)).as(model.id() + " reloaded").isEqualTo(before);
      Map<String, String> meta = StoredModel.readMetadata(saved);
      assertThat(meta).containsKeys("features", "outcome", "seed", "training_years", StoredModel.CLASS_KEY);
      assertThat(meta.get("training_years")).isEqualTo("1960-2020");
    }
  }

  @Test
  void ensembleIsTheAverageOfItsMembers() {
    FittedRiskModel a = fitted(ModelRegistry.RANDOM_FOREST);
    FittedRiskModel b = fitted(ElasticNet.ID);
    Map<Integer, Double> ra = risks(a);
    Map<Integer, Double> rb = risks(b);
    Map<Integer, Double> avg = risks(EnsembleRiskModel.combine("ensemble", List.of(a, b)));
    assertThat(avg).hasSizeGreaterThan(150);
    avg.forEach((ccode, r) -> assertThat(r).isCloseTo((ra.get(ccode) + rb.get(ccode)) / 2, within(1e-12)));
  }
}
