package org.ewarn.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The git commit the code was built from, recorded in every manifest. Read once from the project
 * checkout; "+dirty" marks uncommitted changes so a manifest never claims a commit it did not run.
 */
public final class CodeVersion {
  private static volatile String cached;

  private CodeVersion() {}

  public static String of(Path projectHome) {
    String v = cached;
    if (v == null) {
      v = System.getProperty("ewarn.code-version");
      if (v == null) {
        String commit = git(projectHome, "rev-parse", "HEAD");
        String status = git(projectHome, "status", "--porcelain", "--untracked-files=no");
        v = commit == null ? "unknown" : commit + (status != null && !status.isBlank() ? "+dirty" : "");
      }
      cached = v;
    }
    return v;
  }

  private static String git(Path dir, String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = dir.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
