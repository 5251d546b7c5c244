package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.config.Settings;
import org.ewarn.warehouse.Manifest;
import org.ewarn.io.RiskMarts;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.panel.CountryYearPanel;
import org.ewarn.panel.PanelConfig;
import org.ewarn.panel.WarehouseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forecast stage end to end on the real EWP panel, with fast models. */
@org.junit.jupiter.api.Tag("slow")
class ForecastActionTest extends SparkTest {

  /** Training share of onsets (mk_onset_1or2) among complete rows ≤ lastYear with ongoing killing, from the raw file. */
  private static double ongoingRate(int lastYear) throws Exception {
    int rows = 0;
    int onsets = 0;
    try (Reader r = new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        HOME.resolve("jobs/data/ewp/prepared-predictors-2025.csv.gz"))), StandardCharsets.UTF_8)) {
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        String ongoing = rec.get("mk_ongoing_count_log2");
        String outcome = rec.get("mk_onset_1or2");
        if (Integer.parseInt(rec.get("year")) > lastYear || ongoing.equals("NA") || outcome.equals("NA")
            || Double.parseDouble(ongoing) <= 0) {
          continue;
        }
        rows++;
        onsets += (int) Double.parseDouble(outcome);
      }
    }
    return (double) onsets / rows;
  }

  private static Dataset<Row> bundledPanel;

  /** The country-year panel of the bundled sources, built once for both tests (the panel stage's work). */
  private Dataset<Row> panel() {
    if (bundledPanel == null) {
      WarehouseFixture f = new WarehouseFixture(spark(), HOME);
      bundledPanel = CountryYearPanel.build(new CountryYearPanel.Inputs(f.predictors(), f.gedEvents(), f.coups(),
          f.protests(), f.pitfGenocide(), f.episodes()), PanelConfig.defaults()).cache();
    }
    return bundledPanel;
  }

  @Test
  void aPanelMartMissingAFeatureIsAConfigurationErrorAndPublishesNothing(@TempDir Path tmp) throws Exception {
    Dataset<Row> panel = panel().drop("mk_ongoing_count_log2");
    Warehouse wh = Warehouse.open(tmp.resolve("warehouse").toString());
    RiskMarts marts = new RiskMarts(wh, tmp.resolve("models"), tmp.resolve("out"));
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("test", "run-1", "test", "hash", Instant.now(), List.of());
    marts.publish("panel_country_year", "2024-test", panel, run, Map.of(), Map.of());
    Settings settings = Settings.load(HOME, null, List.of("models.enabled=[baseline_ongoing]",
        "forecast.primary-model=baseline_ongoing"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForecastAction.execute(spark(), marts,
            ForecastConfig.from(settings), ModelRegistry.enabled(settings), UnFrameworkConfig.from(settings), run))
        .isInstanceOfSatisfying(org.ewarn.run.StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(org.ewarn.run.ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains("panel_country_year/vintage=2024-test", "mk_ongoing_count_log2");
        });
    assertThat(wh.latest(ForecastAction.FORECASTS)).isEmpty();
  }

  @Test
  void publishesTheEditionItsTrajectoryAndTheCsvAndNeverRecomputesAnEdition(@TempDir Path tmp) throws Exception {
    Dataset<Row> panel = panel();
    Warehouse wh = Warehouse.open(tmp.resolve("warehouse").toString());
    RiskMarts marts = new RiskMarts(wh, tmp.resolve("models"), tmp.resolve("out"));
    RiskMarts.RunInfo run = new RiskMarts.RunInfo("test", "run-1", "test", "hash", Instant.now(), List.of());
    marts.publish("panel_country_year", "2024-test", panel, run, Map.of(), Map.of());

    Settings settings = Settings.load(HOME, null, List.of(
        "models.enabled=[baseline_ongoing, baseline_history, baseline_battle_deaths]",
        "forecast.trajectory.first-edition=2023", "forecast.primary-model=baseline_ongoing"));
    ForecastConfig cfg = ForecastConfig.from(settings);
    ForecastAction.Result r = ForecastAction.execute(spark(), marts, cfg, ModelRegistry.enabled(settings),
        UnFrameworkConfig.from(settings), run);

    assertThat(r.edition()).isEqualTo("2024");
    assertThat(r.editionsComputed()).containsExactly("2023", "2024");
    assertThat(r.marts()).containsKeys(ForecastAction.FORECASTS, ForecastAction.TRAJECTORIES, ForecastAction.DRIVERS,
        ForecastAction.PROFILES);
    for (String dir : r.marts().values()) {
      assertThat(Files.isRegularFile(Path.of(dir, Warehouse.MANIFEST))).as(dir).isTrue();
    }
    Dataset<Row> forecasts = spark().read().parquet(r.marts().get(ForecastAction.FORECASTS)).cache();
    assertThat(forecasts.select("horizon").distinct().count()).isEqualTo(2);
    assertThat(forecasts.where(col("year").notEqual(2024)).count()).isZero();

    // edition 2023 of baseline_ongoing: trained on years <= 2021, checked against the raw file
    Dataset<Row> trajectory = spark().read().parquet(tmp.resolve("warehouse/risk_trajectories").toString());
    Row ongoing2023 = trajectory.where(col("model").equalTo("baseline_ongoing").and(col("edition").equalTo("2023"))
        .and(col("ccode").equalTo(625))).first(); // Sudan: killings ongoing
    assertThat(ongoing2023.<Double>getAs("risk")).isCloseTo(ongoingRate(2021), within(1e-12));
    Row ongoing2024 = trajectory.where(col("model").equalTo("baseline_ongoing").and(col("edition").equalTo("2024"))
        .and(col("ccode").equalTo(625))).first();
    assertThat(ongoing2024.<Double>getAs("risk_previous_edition")).isEqualTo(ongoing2023.<Double>getAs("risk"));

    // the top table: 30 rows of the primary model, ranks from 1
    assertThat(r.top()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(r.top().get(0).<Integer>getAs("rank")).isEqualTo(1);

    // the CSV carries the required columns and one line per forecast row
    List<String> lines = Files.readAllLines(Path.of(r.csv()));
    assertThat(lines.get(0)).startsWith("model,edition,country,ccode,gw_code,iso3,year,horizon,risk,rank");
    assertThat(lines).hasSize((int) forecasts.count() + 1);

    // stored models reload and score exactly as published
    FittedRiskModel reloaded = StoredModel.load(tmp.resolve("models/edition=2024/baseline_battle_deaths-h2"));
    assertThat(StoredModel.readMetadata(tmp.resolve("models/edition=2024/baseline_battle_deaths-h2")))
        .containsEntry("training_years", "1960-2022").containsKeys("data_vintages", "config_hash");
    Map<Integer, Double> published = new java.util.HashMap<>();
    forecasts.where(col("model").equalTo("baseline_battle_deaths").and(col("horizon").equalTo(2)))
        .collectAsList().forEach(x -> published.put(x.getAs("ccode"), x.getAs("risk")));
    Map<Integer, Double> rescored = new java.util.HashMap<>();
    reloaded.score(panel.where(col("year").equalTo(2024))).where(col("risk").isNotNull())
        .collectAsList().forEach(x -> rescored.put(x.getAs("ccode"), x.getAs("risk")));
    assertThat(rescored).isEqualTo(published);

    // profiles: 14 factors per country, factors without indicators are not assessed
    Dataset<Row> profiles = spark().read().parquet(r.marts().get(ForecastAction.PROFILES));
    assertThat(profiles.where(col("ccode").equalTo(625)).count()).isEqualTo(14);
    assertThat(profiles.where(col("factor").equalTo("RF10").and(col("status").notEqual("not_assessed"))).count()).isZero();
    assertThat(profiles.where(col("ccode").equalTo(625).and(col("factor").equalTo("RF2"))).first()
        .<String>getAs("status")).isEqualTo("elevated");

    // a second run publishes nothing and leaves every edition as it was
    String manifestBefore = wh.partition(ForecastAction.TRAJECTORIES, "2024").orElseThrow().manifest().finished();
    ForecastAction.Result again = ForecastAction.execute(spark(), marts, cfg, ModelRegistry.enabled(settings),
        UnFrameworkConfig.from(settings), new RiskMarts.RunInfo("test", "run-2", "test", "hash", Instant.now(), List.of()));
    assertThat(again.alreadyPublished()).isTrue();
    assertThat(wh.partition(ForecastAction.TRAJECTORIES, "2024").orElseThrow().manifest().finished())
        .isEqualTo(manifestBefore);

    // a run stopped after the drivers and profiles, before risk_forecasts (the edition's last mart):
    // the restart keeps what it left and publishes the same forecasts
    List<Row> forecastRows = forecasts.orderBy("model", "horizon", "ccode").collectAsList();
    String driversRun = wh.partition(ForecastAction.DRIVERS, "2024").orElseThrow().manifest().runId();
    org.apache.commons.io.FileUtils.deleteDirectory(tmp.resolve("warehouse/risk_forecasts/vintage=2024").toFile());
    assertThat(wh.partition(ForecastAction.FORECASTS, "2024")).isEmpty();
    ForecastAction.Result restarted = ForecastAction.execute(spark(), marts, cfg, ModelRegistry.enabled(settings),
        UnFrameworkConfig.from(settings), new RiskMarts.RunInfo("test", "run-3", "test", "hash", Instant.now(), List.of()));
    assertThat(restarted.alreadyPublished()).isFalse();
    assertThat(restarted.marts()).containsKeys(ForecastAction.DRIVERS, ForecastAction.PROFILES);
    assertThat(wh.partition(ForecastAction.DRIVERS, "2024").orElseThrow().manifest().runId()).isEqualTo(driversRun);
    assertThat(wh.partition(ForecastAction.FORECASTS, "2024").orElseThrow().manifest().runId()).isEqualTo("run-3");
    assertThat(spark().read().parquet(restarted.marts().get(ForecastAction.FORECASTS)).orderBy("model", "horizon", "ccode")
        .collectAsList()).isEqualTo(forecastRows);
  }
}
