package org.ewarn.nightly;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Storage;

/**
 * SHA-256 of input files, remembered by path, size and modification time so that a night without
 * new data does not re-read gigabytes of unchanged event files to find out. The inputs are local
 * files (the configuration names them); the cache lives in the nightly state folder, on any store.
 */
final class ChecksumCache {
  record Entry(long bytes, long modifiedMillis, String sha256) {}

  private final Storage state;
  private final String file;
  private final Map<String, Entry> entries;

  private ChecksumCache(Storage state, String file, Map<String, Entry> entries) {
    this.state = state;
    this.file = file;
    this.entries = entries;
  }

  static ChecksumCache open(Storage state, String file) {
    try {
      return new ChecksumCache(state, file,
          state.readJson(file, new TypeReference<TreeMap<String, Entry>>() {}).orElseGet(TreeMap::new));
    } catch (UncheckedIOException damaged) {
      // A damaged cache only costs re-reading the inputs.
      return new ChecksumCache(state, file, new TreeMap<>());
    }
  }

  String sha256(Path path) {
    try {
      long bytes = Files.size(path);
      long modified = Files.getLastModifiedTime(path).toMillis();
      Entry known = entries.get(path.toString());
      if (known != null && known.bytes() == bytes && known.modifiedMillis() == modified) {
        return known.sha256();
      }
      String sha = Checksums.sha256(path);
      entries.put(path.toString(), new Entry(bytes, modified, sha));
      return sha;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input " + path, e);
    }
  }

  void save() {
    state.writeJson(file, entries);
  }
}
