package org.ewarn.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one checksum of the project: of input files (manifests, stage fingerprints), of
 * configuration text, of rendered PDFs and of the marts an appendix read. Lower-case hex.
 */
public final class Checksums {
  private Checksums() {}

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the stream to its end (without closing it). */
  public static String sha256(InputStream in) throws IOException {
    Sha256 sha = new Sha256();
    sha.add(in);
    return sha.hex();
  }

  /** A local file; for a file on any store see {@link Storage#sha256(String)}. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A local input file as a manifest records it. */
  public static Manifest.InputFile describe(Path file) {
    try {
      return new Manifest.InputFile(file.toString(), Files.size(file), sha256(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** One digest over several pieces, in the order they are added. */
  public static final class Sha256 {
    private final MessageDigest sha = digest();

    public Sha256 add(byte[] bytes) {
      sha.update(bytes);
      return this;
    }

    public Sha256 add(String text) {
      return add(text.getBytes(StandardCharsets.UTF_8));
    }

    public Sha256 add(InputStream in) throws IOException {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return this;
    }

    public String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
