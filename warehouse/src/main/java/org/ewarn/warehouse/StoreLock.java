package org.ewarn.warehouse;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A lock file on a shared store, created only if absent (atomic in the HDFS NameNode; on an object
 * store as atomic as the connector's create-without-overwrite). The holder refreshes its
 * modification time every heartbeat; a file older than the stale limit, or naming a process of
 * this host that is gone, is stale. A stale lock is moved aside by an atomic rename (so of two
 * runs breaking it only one succeeds) where the store has one, else deleted.
 */
final class StoreLock extends RunLock {
  private static final Pattern HOLDER = Pattern.compile("^pid (\\d+) on (\\S+) ");

  private final Storage storage;
  private final Path file;
  private final byte[] content;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean lost;

  private StoreLock(String holder, Storage storage, Path file, byte[] content, RunLock.Policy policy) {
    super(holder);
    this.storage = storage;
    this.file = file;
    this.content = content;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ewarn-lock-heartbeat " + file.getName());
      t.setDaemon(true);
      return t;
    });
    long every = policy.heartbeat().toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  static StoreLock acquire(Storage storage, Path file, String command, RunLock.Policy policy) {
    String me = describeMe(command);
    byte[] content = me.getBytes(StandardCharsets.UTF_8);
    String where = storage.display(file);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (createIfAbsent(storage, file, content)) {
        return new StoreLock(me, storage, file, content, policy);
      }
      FileStatus seen;
      try {
        seen = storage.fs.getFileStatus(file);
      } catch (FileNotFoundException released) {
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot take the lock " + where, e);
      }
      String holder = storage.read(file).map(b -> new String(b, StandardCharsets.UTF_8).trim()).orElse("");
      if (!isStale(seen, holder, policy)) {
        throw held(where, holder);
      }
      System.err.println("ewarn: breaking the stale lock " + where + " (" + holder + ")");
      breakStale(storage, file, seen);
    }
    throw held(where, "other runs took it while a stale lock was being broken");
  }

  private static boolean createIfAbsent(Storage storage, Path file, byte[] content) {
    try (FSDataOutputStream out = storage.fs.create(file, false)) {
      out.write(content);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // e.g. HDFS' AlreadyBeingCreatedException: another client is creating it right now
      if (storage.info(file).isPresent()) {
        return false;
      }
      throw new UncheckedIOException("cannot take the lock " + storage.display(file), e);
    }
    return true;
  }

  static boolean isStale(FileStatus seen, String holder, RunLock.Policy policy) {
    if (System.currentTimeMillis() - seen.getModificationTime() > policy.staleAfter().toMillis()) {
      return true;
    }
    Matcher m = HOLDER.matcher(holder);
    return m.find() && m.group(2).equals(host())
        && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
  }

  private static void breakStale(Storage storage, Path file, FileStatus seen) {
    try {
      if (storage.commit() == Storage.Commit.MANIFEST_LAST) {
        storage.fs.delete(file, false);
        return;
      }
      Path aside = new Path(file.getParent(), file.getName() + ".stale-" + UUID.randomUUID());
      try {
        if (!storage.moveFolder(file, aside)) {
          return;
        }
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof FileNotFoundException) {
          return; // another run moved it first
        }
        throw e;
      }
      FileStatus moved = storage.fs.getFileStatus(aside);
      if (moved.getModificationTime() == seen.getModificationTime()) {
        storage.fs.delete(aside, false);
      } else if (!storage.moveFolder(aside, file)) {
        // another run broke it first and took it: we moved its fresh lock, and a third run took
        // the name meanwhile; the fresh one is lost and its heartbeat will say so
        storage.fs.delete(aside, false);
      }
    } catch (FileNotFoundException brokenByAnother) {
      // fine: the next attempt creates it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot break the stale lock " + storage.display(file), e);
    }
  }

  private void beat() {
    try {
      byte[] now = storage.read(file).orElse(null);
      if (now == null || !Arrays.equals(now, content)) {
        loseLock();
        return;
      }
      if (storage.commit() == Storage.Commit.MANIFEST_LAST) {
        storage.write(file, content, true); // object stores keep no settable modification time
      } else {
        storage.fs.setTimes(file, System.currentTimeMillis(), -1);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("ewarn: cannot refresh the lock " + storage.display(file) + ": " + e.getMessage());
    }
  }

  private void loseLock() {
    lost = true;
    heartbeat.shutdown();
    System.err.println("ewarn: lost the lock " + storage.display(file)
        + ": another run broke it as stale; this run is no longer exclusive");
  }

  boolean lost() {
    return lost;
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    if (lost) {
      return;
    }
    try {
      byte[] now = storage.read(file).orElse(null);
      if (now != null && Arrays.equals(now, content)) {
        storage.fs.delete(file, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock " + storage.display(file), e);
    }
  }
}
