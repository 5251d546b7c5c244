package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract on a real HDFS (NameNode + DataNode in process): rename publication, lock files. */
class HdfsTest extends WarehouseContract {
  @Override
  Storage storage(String name) {
    return Storage.open(Hdfs.root(name), Hdfs.conf());
  }

  @Test
  void hdfsPublishesByRenameAndLocationsAreUris() {
    Storage s = storage("shape");
    assertThat(s.commit()).isEqualTo(Storage.Commit.RENAME);
    Partition p = Warehouse.on(s).publish("d", "1", TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"),
        TestData.slice(FORECASTS, 0, 3));
    assertThat(p.location()).startsWith("hdfs://").endsWith("/d/vintage=1");
    assertThat(s.list("d/vintage=1")).containsExactlyInAnyOrder("_MANIFEST.json", "part-00000.zstd.parquet");
  }
}
