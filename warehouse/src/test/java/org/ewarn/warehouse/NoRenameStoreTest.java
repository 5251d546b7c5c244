package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on a store that cannot rename at all (a stand-in for s3a, gs, abfs without a
 * hierarchical namespace): its scheme alone selects manifest-last publication, and no code path
 * renames.
 */
class NoRenameStoreTest extends WarehouseContract {
  @TempDir Path tmp;

  @Override
  Storage storage(String name) {
    return Storage.open("norename://" + tmp.resolve(name).toUri().getPath(), NoRenameFileSystem.conf());
  }

  @Test
  void anUnknownSchemeIsTreatedAsAnObjectStore() {
    Storage s = storage("scheme");
    assertThat(s.commit()).isEqualTo(Storage.Commit.MANIFEST_LAST);
    assertThat(s.root().getScheme()).isEqualTo("norename");
  }
}
