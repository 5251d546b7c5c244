package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marts as the renderer holds them, read through the warehouse module from Spark-shaped partitions. */
class MartTest {
  @Test
  void theLatestPartitionIsTheLastFinishedAndAnEmptyFolderIsNoPartition(@TempDir Path wh) throws Exception {
    MartFixtures f = new MartFixtures();
    f.publishCountries(wh);
    f.publishRisk(wh);
    // a partition being written (no manifest, no data yet) with a later-sorting label
    Files.createDirectories(wh.resolve("risk_forecasts/vintage=2099"));
    Warehouse w = Warehouse.open(wh.toString());
    Mart latest = Mart.of(w.latest("risk_forecasts").orElseThrow());
    assertThat(latest.vintage()).isEqualTo("2023");
    assertThat(latest.rows()).hasSize(166);
    assertThat(Mart.of(w.partition("risk_forecasts", "2019").orElseThrow()).rows()).hasSize(162);
    assertThat(w.partition("risk_forecasts", "2099")).isEmpty();
    assertThat(w.latest("no_such_mart")).isEmpty();
  }

  @Test
  void valuesKeepTheirParquetTypesAndNullsStayNull(@TempDir Path wh) {
    new ParquetFixture().column("name", ParquetFixture.Kind.STRING).column("n", ParquetFixture.Kind.INT)
        .column("x", ParquetFixture.Kind.DOUBLE).column("b", ParquetFixture.Kind.BOOLEAN)
        .column("extra", ParquetFixture.Kind.LONG)
        .row(Map.of("name", "阿富汗", "n", 7, "x", 0.5, "b", true, "extra", 9L))
        .row(Map.of("name", "Chad"))
        .publish(wh, "t", "v1", "test", "2026-01-01T00:00:00Z");
    Mart m = Mart.of(Warehouse.open(wh.toString()).latest("t").orElseThrow()).require("name", "n", "x", "b");
    assertThat(m.columns()).contains("extra");
    assertThat(m.rows().get(0)).containsEntry("name", "阿富汗").containsEntry("n", 7).containsEntry("x", 0.5)
        .containsEntry("b", true).containsEntry("extra", 9L);
    assertThat(m.rows().get(1)).containsEntry("name", "Chad").containsEntry("n", null).containsEntry("x", null);
    assertThat(m.manifest().runId()).isEqualTo("fixture-test-v1");
  }
}
