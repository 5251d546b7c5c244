package org.ewarn.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A notebook the export started must not outlive a nightly killed with {@code kill -9}: the kill
 * harness found nbconvert processes still running beside the restart. A child JVM starts a long
 * command the way the export starts nbconvert, prints its pid, and is killed.
 */
class NotebookOrphansTest {

  /** The child JVM: starts the command as the export does and waits, as the export's thread does. */
  public static void main(String[] args) throws Exception {
    Process notebook = new ProcessBuilder(NotebookExport.diesWithParent(List.of("sleep", "300"))).start();
    System.out.println(notebook.pid());
    System.out.flush();
    notebook.waitFor();
  }

  @Test
  void aNotebookEndsWhenTheNightlyIsKilled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process nightly = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        NotebookOrphansTest.class.getName()).redirectErrorStream(true).start();
    long notebookPid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(nightly.getInputStream(), StandardCharsets.UTF_8))) {
      notebookPid = Long.parseLong(out.readLine().trim());
      Optional<ProcessHandle> notebook = ProcessHandle.of(notebookPid);
      assertThat(notebook).as("the notebook runs").isPresent();
      // setpriv has set the signal once it has executed the command
      Instant started = Instant.now().plus(Duration.ofSeconds(10));
      while (!notebook.get().info().command().orElse("").endsWith("sleep") && Instant.now().isBefore(started)) {
        Thread.sleep(20);
      }

      nightly.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
      nightly.waitFor();

      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (notebook.get().isAlive() && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      try {
        assertThat(notebook.get().isAlive()).as("the notebook of the killed nightly is still running").isFalse();
      } finally {
        notebook.get().destroyForcibly();
      }
    }
  }
}
