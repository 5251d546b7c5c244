package org.ewarn.nightly;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.ewarn.io.Checksums;

/**
 * SHA-256 of input files, remembered by path, size and modification time so that a night without
 * new data does not re-read gigabytes of unchanged event files to find out.
 */
final class ChecksumCache {
  record Entry(long bytes, long modifiedMillis, String sha256) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private ChecksumCache(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  static ChecksumCache open(Path file) {
    if (!Files.isRegularFile(file)) {
      return new ChecksumCache(file, new TreeMap<>());
    }
    try {
      Map<String, Entry> read = StateFiles.JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Entry>>() {});
      return new ChecksumCache(file, read);
    } catch (IOException e) {
      // A damaged cache only costs re-reading the inputs.
      return new ChecksumCache(file, new TreeMap<>());
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
    StateFiles.writeJson(file, entries);
  }
}
