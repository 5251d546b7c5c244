package org.ewarn.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An OS file lock; the file names the holder for the message a second run prints. */
final class LocalLock extends RunLock {
  private final FileChannel channel;
  private final FileLock lock;

  private LocalLock(String holder, FileChannel channel, FileLock lock) {
    super(holder);
    this.channel = channel;
    this.lock = lock;
  }

  static LocalLock acquire(Path file, String command) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        ch.close();
        throw new WarehouseFailure(WarehouseFailure.Kind.LOCKED, "another run in this process holds the lock "
            + file + holderSuffix(file));
      }
      if (lock == null) {
        ch.close();
        throw held(file.toString(), readHolder(file));
      }
      String me = describeMe(command);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new LocalLock(me, ch, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lock " + file, e);
    }
  }

  private static String holderSuffix(Path file) {
    String holder = readHolder(file);
    return holder.isEmpty() ? "" : ": " + holder;
  }

  private static String readHolder(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException unreadable) {
      return "";
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock", e);
    }
  }
}
