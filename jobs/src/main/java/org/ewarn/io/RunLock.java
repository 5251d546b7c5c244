package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.ewarn.run.StageFailure;

/**
 * An OS file lock on {@code <warehouse>/_locks/<name>.lock}: released by the OS when the process
 * dies, so a killed run never leaves a stale lock. The file names the holder for the message the
 * second run prints.
 */
public final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static RunLock acquire(Path warehouseRoot, String name, String command) {
    Path file = warehouseRoot.resolve("_locks").resolve(name + ".lock");
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        ch.close();
        throw StageFailure.locked(
            "another run holds the lock " + file + (holder.isEmpty() ? "" : ": " + holder));
      }
      String me = "pid " + ProcessHandle.current().pid() + " on "
          + ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "")
          + " (" + command + ", since " + Instant.now() + ")";
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new RunLock(ch, lock);
    } catch (java.nio.channels.OverlappingFileLockException e) {
      String holder;
      try {
        holder = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException unreadable) {
        holder = "";
      }
      throw StageFailure.locked("another run in this process holds the lock " + file
          + (holder.isEmpty() ? "" : ": " + holder));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
