package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a root is given and how its store publishes. */
class StorageTest {
  @Test
  void publicationFollowsTheSchemeUnlessConfigured() {
    Configuration conf = new Configuration();
    for (String scheme : new String[] {"file", "hdfs", "viewfs", "webhdfs"}) {
      assertThat(Storage.commitFor(scheme, conf)).as(scheme).isEqualTo(Storage.Commit.RENAME);
    }
    for (String scheme : new String[] {"s3a", "gs", "abfs", "wasb", "oss"}) {
      assertThat(Storage.commitFor(scheme, conf)).as(scheme).isEqualTo(Storage.Commit.MANIFEST_LAST);
    }
    conf.set(Storage.COMMIT_KEY, "rename");
    assertThat(Storage.commitFor("abfs", conf)).isEqualTo(Storage.Commit.RENAME); // e.g. ADLS Gen2 with a namespace
    conf.set(Storage.COMMIT_KEY, "copy");
    assertThatThrownBy(() -> Storage.commitFor("s3a", conf)).hasMessageContaining(Storage.COMMIT_KEY)
        .hasMessageContaining("'copy'");
  }

  @Test
  void aRootIsAUriOrALocalPath(@TempDir Path tmp) {
    assertThat(Storage.toUri("hdfs://nn:8020/ewarn/warehouse").toString()).isEqualTo("hdfs://nn:8020/ewarn/warehouse");
    assertThat(Storage.toUri(tmp.toString()).getScheme()).isEqualTo("file");
    assertThat(Storage.toUri("target/../target/ewarn").getPath()).endsWith("/target/ewarn").doesNotContain("..");
    Storage local = Storage.open(tmp.toString());
    assertThat(local.location("a/b")).isEqualTo(tmp.resolve("a/b").toString());
    assertThat(Storage.open("file:" + tmp).location("")).isEqualTo(tmp.toString());
    assertThatThrownBy(() -> local.location("../elsewhere")).hasMessageContaining("not a relative location");
  }

  @Test
  void labelsMustBeFolderNamesOnEveryStore() {
    Warehouse.check("vintage", "2022.11.29");
    Warehouse.check("vintage", "20261201T213609Z-7590");
    Warehouse.check("vintage", "2024-01c1cf64");
    for (String bad : new String[] {"", ".hidden", "_staging", "a/b", "a:b", "a b", "a*"}) {
      assertThatThrownBy(() -> Warehouse.check("vintage", bad)).as(bad).hasMessageContaining("cannot be a folder name");
    }
  }
}
