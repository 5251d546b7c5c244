package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on local disk (atomic rename, OS locks), plus the on-disk shape callers rely on. */
class LocalDiskTest extends WarehouseContract {
  @TempDir Path tmp;

  @Override
  Storage storage(String name) {
    return Storage.open(tmp.resolve(name).toString());
  }

  @Test
  void localRootsArePlainPathsAndRenamePublishes() throws Exception {
    Storage s = storage("shape");
    assertThat(s.commit()).isEqualTo(Storage.Commit.RENAME);
    Warehouse w = Warehouse.on(s);
    Partition p = w.publish("d", "1", TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"), TestData.slice(FORECASTS, 0, 3));
    Path dir = tmp.resolve("shape/d/vintage=1");
    assertThat(p.location()).isEqualTo(dir.toString());
    // no checksum files of our own, as before the module: only Spark writes .crc
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("_MANIFEST.json", "part-00000.zstd.parquet");
    }
    assertThat(Files.readString(dir.resolve("_MANIFEST.json"))).isEqualTo(p.manifest().toJson());
    assertThat(Files.exists(tmp.resolve("shape/_staging/r1/d"))).isFalse();
    assertThat(Warehouse.open("file:" + tmp.resolve("shape")).require("d").location()).isEqualTo(dir.toString());
  }
}
