package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The contract on HDFS told to behave as an object store (the configuration key), never renaming a
 * partition. HDFS shows a file while it is being written, which object stores do not: partitions
 * stay safe (a marked partition with a half-written manifest is still being published), but a state
 * file replaced in place is not atomic here, so that one contract test does not apply.
 */
class ManifestLastHdfsTest extends WarehouseContract {
  @Override
  boolean replaceIsAtomic() {
    return false;
  }

  @Override
  Storage storage(String name) {
    org.apache.hadoop.conf.Configuration conf = Hdfs.conf();
    conf.set(Storage.COMMIT_KEY, "manifest-last");
    return Storage.open(Hdfs.root(name), conf);
  }

  @Test
  void aPartitionBeingWrittenInPlaceIsMarkedAndInvisible() {
    Storage s = storage("marked");
    assertThat(s.commit()).isEqualTo(Storage.Commit.MANIFEST_LAST);
    Warehouse w = Warehouse.on(s);
    Staged staged = w.stage("r1", "d", "1");
    staged.writeTable(TestData.slice(FORECASTS, 0, 3));
    assertThat(staged.location()).endsWith("/d/vintage=1");
    assertThat(s.list("d/vintage=1")).containsExactly("part-00000.zstd.parquet");
    assertThat(s.exists("_staging/r1/d/vintage=1.publishing")).isTrue();
    assertThat(w.partition("d", "1")).isEmpty();
    staged.publish(TestData.manifest("d", "1", "r1", "2026-12-01T02:00:00Z"));
    assertThat(s.exists("_staging/r1/d/vintage=1.publishing")).isFalse();
    assertThat(w.require("d").read().size()).isEqualTo(3);
  }

  @Test
  void aFailedRunsHalfPartitionGoesWithItsStaging() {
    Warehouse w = Warehouse.on(storage("discard"));
    w.stage("r1", "d", "1").writeTable(TestData.slice(FORECASTS, 0, 3));
    w.discardStaging("r1");
    assertThat(w.storage().exists("d/vintage=1")).isFalse();
    assertThat(w.partitions("d")).isEmpty();
  }
}
