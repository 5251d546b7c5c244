package org.ewarn.warehouse;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** The three ways a store makes one write visible whole: the local kernel, a NameNode, an object PUT. */
abstract sealed class Primitives permits Primitives.LocalDisk, Primitives.Renaming, Primitives.ObjectStore {
  final Storage storage;

  Primitives(Storage storage) {
    this.storage = storage;
  }

  static Primitives of(Storage storage, boolean local, Storage.Commit commit) {
    if (commit == Storage.Commit.MANIFEST_LAST) {
      return new ObjectStore(storage);
    }
    return local ? new LocalDisk(storage) : new Renaming(storage);
  }

  /** Readers see the old bytes or the new. */
  abstract void replace(Path file, byte[] bytes) throws IOException;

  /** False if the file exists; never visible half-written. */
  abstract boolean createNew(Path file, byte[] bytes) throws IOException;

  /** False if the target exists; its parent exists. */
  abstract boolean moveFolder(Path from, Path to) throws IOException;

  /** java.nio on the local file: rename(2) and link(2) are atomic. */
  static final class LocalDisk extends Primitives {
    LocalDisk(Storage storage) {
      super(storage);
    }

    @Override
    void replace(Path file, byte[] bytes) throws IOException {
      java.nio.file.Path target = Storage.localPath(file);
      java.nio.file.Path tmp = written(target, bytes);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    boolean createNew(Path file, byte[] bytes) throws IOException {
      java.nio.file.Path target = Storage.localPath(file);
      java.nio.file.Path tmp = written(target, bytes);
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    @Override
    boolean moveFolder(Path from, Path to) throws IOException {
      try {
        Files.move(Storage.localPath(from), Storage.localPath(to), StandardCopyOption.ATOMIC_MOVE);
        return true;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        return false;
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename " + from + " to " + to + " atomically", e);
      }
    }

    private static java.nio.file.Path written(java.nio.file.Path target, byte[] bytes) throws IOException {
      Files.createDirectories(target.getParent());
      java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "."
          + ProcessHandle.current().pid() + "." + UUID.randomUUID() + ".tmp");
      Files.write(tmp, bytes);
      return tmp;
    }
  }

  /** HDFS and friends: FileContext's rename maps to the NameNode's atomic rename with options. */
  static final class Renaming extends Primitives {
    Renaming(Storage storage) {
      super(storage);
    }

    @Override
    void replace(Path file, byte[] bytes) throws IOException {
      context().rename(written(file, bytes), file, Options.Rename.OVERWRITE);
    }

    @Override
    boolean createNew(Path file, byte[] bytes) throws IOException {
      Path tmp = written(file, bytes);
      try {
        context().rename(tmp, file, Options.Rename.NONE);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        storage.fs.delete(tmp, false);
        return false;
      }
    }

    @Override
    boolean moveFolder(Path from, Path to) throws IOException {
      // an empty leftover folder would make rename2 fail; FileSystem.rename would nest inside it
      if (storage.fs.exists(to) && storage.fs.getFileStatus(to).isDirectory() && storage.fs.listStatus(to).length == 0) {
        storage.fs.delete(to, false);
      }
      try {
        context().rename(from, to, Options.Rename.NONE);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      }
    }

    private Path written(Path file, byte[] bytes) {
      Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
      storage.write(tmp, bytes, true);
      return tmp;
    }

    private FileContext context() throws IOException {
      return FileContext.getFileContext(storage.root(), storage.conf);
    }
  }

  /** No rename at all: an object appears whole when its upload completes. */
  static final class ObjectStore extends Primitives {
    ObjectStore(Storage storage) {
      super(storage);
    }

    @Override
    void replace(Path file, byte[] bytes) {
      storage.write(file, bytes, true);
    }

    @Override
    boolean createNew(Path file, byte[] bytes) throws IOException {
      if (storage.fs.exists(file)) {
        return false;
      }
      storage.write(file, bytes, false);
      return true;
    }

    @Override
    boolean moveFolder(Path from, Path to) throws IOException {
      if (storage.fs.exists(to)) {
        return false;
      }
      FileUtil.copy(storage.fs, from, storage.fs, to, true, storage.conf);
      return true;
    }
  }
}
