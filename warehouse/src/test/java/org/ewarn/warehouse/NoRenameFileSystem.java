package org.ewarn.warehouse;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Local disk posing as an object store ({@code norename:///…}): it cannot rename, so any code path
 * that assumes a rename fails loudly; and, as with an S3 PUT, a file appears whole when its stream
 * is closed (it is written outside the tree until then). Not one of the rename schemes, so the
 * warehouse picks manifest-last publication for it by itself.
 */
public final class NoRenameFileSystem extends RawLocalFileSystem {
  static final URI NAME = URI.create("norename:///");
  private static final java.nio.file.Path UPLOADS = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
      "norename-uploads-" + ProcessHandle.current().pid());

  static org.apache.hadoop.conf.Configuration conf() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.set("fs.norename.impl", NoRenameFileSystem.class.getName());
    conf.setBoolean("fs.norename.impl.disable.cache", true);
    return conf;
  }

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return "norename";
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    throw new UnsupportedOperationException("this store cannot rename (" + src + " -> " + dst + ")");
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    java.nio.file.Path target = pathToFile(makeQualified(f)).toPath();
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(f + " exists");
    }
    Files.createDirectories(UPLOADS);
    java.nio.file.Path upload = UPLOADS.resolve(UUID.randomUUID().toString());
    OutputStream out = new FilterOutputStream(Files.newOutputStream(upload)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        super.close();
        Files.createDirectories(target.getParent());
        if (!overwrite && Files.exists(target)) {
          Files.delete(upload);
          throw new FileAlreadyExistsException(f + " exists");
        }
        // the object appears whole: what a completed PUT looks like to other readers
        Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    };
    return new FSDataOutputStream(out, statistics);
  }
}
