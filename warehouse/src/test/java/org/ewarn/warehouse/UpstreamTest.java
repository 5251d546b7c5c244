package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream entries manifests record resolve to partitions without a caller parsing them. */
class UpstreamTest {
  @Test
  void idsLabelsAndBareDatasetsResolveAndAnythingElseIsNoPartition(@TempDir Path dir) {
    Warehouse w = Warehouse.open(dir.toString());
    Partition old = w.publish("d", "2023", TestData.manifest("d", "2023", "r1", "2026-12-01T02:00:00Z"),
        TestData.slice(WarehouseContract.FORECASTS, 0, 2));
    Partition latest = w.publish("d", "2024", TestData.manifest("d", "2024", "r2", "2026-12-02T02:00:00Z"),
        TestData.slice(WarehouseContract.FORECASTS, 0, 2));
    assertThat(w.upstream(old.id())).contains(old);
    assertThat(w.upstream("d@2023")).contains(old);
    assertThat(w.upstream("d")).contains(latest);
    assertThat(w.upstream("d/vintage=2022")).isEmpty();
    assertThat(w.upstream("/data/ged/GEDEvent_v25_1.csv")).isEmpty();
    assertThat(w.upstream("nothing")).isEmpty();
  }
}
