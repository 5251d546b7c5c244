package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mart the report reads that cannot be trusted stops the render with a data failure naming the
 * dataset and the partition, before any PDF is written: it is never rendered as empty.
 */
class DamagedMartsTest {
  @Test
  void aTruncatedDataFileIsRefusedNamingDatasetAndPartition(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    new MartFixtures().publishAll(wh);
    Partition metrics = Warehouse.open(wh.toString()).latest("backtest_metrics").orElseThrow();
    Path file = Path.of(metrics.dataFiles().get(0));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(wh, dir.resolve("out"), "backtest_metrics/vintage=" + metrics.vintage(), "not readable Parquet");
  }

  @Test
  void dataWithoutItsManifestIsRefusedNamingDatasetAndPartition(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    new MartFixtures().publishAll(wh);
    Partition cases = Warehouse.open(wh.toString()).latest("backtest_cases").orElseThrow();
    Files.delete(Path.of(cases.location()).resolve(Warehouse.MANIFEST));
    assertRefused(wh, dir.resolve("out"), "backtest_cases/vintage=" + cases.vintage(), "no _MANIFEST.json");
  }

  private static void assertRefused(Path wh, Path out, String partition, String why) {
    assertThatThrownBy(() -> new RenderAction(RenderActionTest.config(wh, out, List.of("en"), "r",
        RenderActionTest.DAY)).execute())
        .isInstanceOfSatisfying(RenderFailure.class, f -> assertThat(f.isDataProblem()).isTrue())
        .hasMessageContaining(partition).hasMessageContaining(why);
    assertThat(out.resolve("reports")).doesNotExist();
  }
}
