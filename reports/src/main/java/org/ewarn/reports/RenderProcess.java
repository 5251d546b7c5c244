package org.ewarn.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders in a child JVM of its own: JasperReports, its fonts and charts need nothing of Spark,
 * so the drafter's re-render (and the nightly's render stage) never starts a Spark session and
 * does not share a heap with one. The parent writes the request as JSON, the child
 * ({@link #main}) runs {@link RenderAction} and writes the result or the failure back.
 */
public final class RenderProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int CONFIG_FAILURE = 2;
  static final int DATA_FAILURE = 3;
  static final int LOCKED_FAILURE = 4;
  /** The child's exit when its parent died first (128 + SIGKILL, as if killed with it). */
  static final int PARENT_GONE = 137;

  private RenderProcess() {}

  /** Runs the render in a child {@code java} with this JVM's class path; its output goes to stderr. */
  public static RenderResult execute(RenderConfig config) {
    Path dir;
    try {
      dir = Files.createTempDirectory("ewarn-render-");
    } catch (IOException e) {
      throw RenderFailure.io("cannot create a temporary folder for the render request", e);
    }
    Path request = dir.resolve("request.json");
    Path response = dir.resolve("result.json");
    try {
      JSON.writeValue(request.toFile(), toJson(config));
      // The class path (the launcher's lib/*, hundreds of jars) in an argument file: one
      // command-line argument is limited to 128 KiB on Linux.
      Path arguments = dir.resolve("java.args");
      Files.writeString(arguments, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
      // C1 only (TieredStopAtLevel=1): a render lives some 15 s and runs no hot loop, and on two
      // cores C2 compiling JasperReports, the PDF library and Jackson took more CPU than it saved.
      // Measured on the bundled data (BENCHMARKS.md): 29-31 s -> 16-18 s, the same PDF text.
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.awt.headless=true", "-Xmx2g", "-XX:TieredStopAtLevel=1", "@" + arguments,
          RenderProcess.class.getName(), request.toString(), response.toString()));
      // stdout of the parent carries the one JSON summary line: the child's chatter goes to stderr.
      Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.to(devNull()))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      int exit = child.waitFor();
      JsonNode out = Files.isRegularFile(response) ? JSON.readTree(response.toFile()) : null;
      if (exit == 0 && out != null && out.has("result")) {
        return fromJson(out.get("result"));
      }
      String message = out != null && out.has("error") ? out.get("error").asText()
          : "render child process exited with " + exit + " and no result";
      throw switch (exit) {
        case CONFIG_FAILURE -> RenderFailure.config(message);
        case LOCKED_FAILURE -> RenderFailure.locked(message);
        default -> RenderFailure.data(message);
      };
    } catch (IOException e) {
      throw RenderFailure.io("render child process failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RenderFailure.io("interrupted while rendering", e);
    } finally {
      try {
        Files.deleteIfExists(dir.resolve("java.args"));
        Files.deleteIfExists(request);
        Files.deleteIfExists(response);
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // a temporary folder left behind is harmless
      }
    }
  }

  /**
   * The parent holds the write end of this process's stdin and never writes to it, so end of input
   * means the parent is gone: killed with {@code kill -9}, a render it started must not go on
   * writing PDFs and holding the render lock beside the restarted run. The publish steps are safe
   * to cut at any point (see {@link Publication}).
   */
  private static void stopWithParent() {
    Thread watch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // nothing is ever sent; wait for end of input
        }
      } catch (IOException e) {
        // an unreadable stdin is treated as the parent gone, as end of input is
      }
      System.err.println("ewarn render: the parent process is gone; stopping");
      Runtime.getRuntime().halt(PARENT_GONE);
    }, "ewarn-render-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static java.io.File devNull() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** The child: {@code RenderProcess <request.json> <result.json>}. */
  public static void main(String[] args) throws IOException {
    stopWithParent();
    Path response = Path.of(args[1]);
    ObjectNode out = JSON.createObjectNode();
    int exit = 0;
    try {
      RenderResult result = new RenderAction(fromJsonConfig(JSON.readTree(Path.of(args[0]).toFile()))).execute();
      out.set("result", toJson(result));
    } catch (RenderFailure e) {
      out.put("error", e.getMessage());
      exit = e.isLocked() ? LOCKED_FAILURE : e.isDataProblem() ? DATA_FAILURE : CONFIG_FAILURE;
    } catch (RuntimeException e) {
      e.printStackTrace(System.err);
      out.put("error", "unexpected render failure: " + e);
      exit = 1;
    }
    JSON.writeValue(response.toFile(), out);
    System.exit(exit);
  }

  static ObjectNode toJson(RenderConfig c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("warehouseRoot", c.warehouseRoot());
    n.put("outputRoot", c.outputRoot());
    ArrayNode langs = n.putArray("languages");
    c.languages().forEach(langs::add);
    n.put("edition", c.edition());
    n.put("year", c.year());
    n.put("runDate", c.runDate().toString());
    n.put("runId", c.runId());
    n.put("model", c.model());
    n.put("topN", c.topN());
    n.put("codeVersion", c.codeVersion());
    ObjectNode marts = n.putObject("marts");
    marts.put("kind", c.marts().kind().name());
    if (c.marts().kind() == MartSource.Kind.RUN) {
      marts.put("label", c.marts().label());
      marts.put("asOf", c.marts().asOf().toString());
      ObjectNode outputs = marts.putObject("outputs");
      c.marts().outputs().forEach(outputs::put);
    }
    return n;
  }

  static RenderConfig fromJsonConfig(JsonNode n) {
    List<String> langs = new ArrayList<>();
    n.get("languages").forEach(l -> langs.add(l.asText()));
    return new RenderConfig(n.get("warehouseRoot").asText(), n.get("outputRoot").asText(),
        langs, n.get("edition").asText(), n.get("year").asInt(), LocalDate.parse(n.get("runDate").asText()),
        n.get("runId").asText(), n.get("model").asText(), n.get("topN").asInt(), n.get("codeVersion").asText(),
        martSource(n.path("marts")));
  }

  private static MartSource martSource(JsonNode n) {
    MartSource.Kind kind = MartSource.Kind.valueOf(n.path("kind").asText(MartSource.Kind.LAST_RUN.name()));
    if (kind != MartSource.Kind.RUN) {
      return new MartSource(kind, null, null, Map.of());
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    n.path("outputs").properties().forEach(e -> outputs.put(e.getKey(), e.getValue().asText()));
    return MartSource.run(n.path("label").asText(), java.time.Instant.parse(n.path("asOf").asText()), outputs);
  }

  static ObjectNode toJson(RenderResult r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("edition", r.edition());
    n.put("directory", r.directory());
    ArrayNode written = n.putArray("written");
    r.written().forEach(written::add);
    ArrayNode unchanged = n.putArray("unchanged");
    r.unchanged().forEach(unchanged::add);
    ObjectNode pages = n.putObject("pages");
    r.pages().forEach(pages::put);
    n.put("indexMarkdown", r.indexMarkdown());
    n.put("indexHtml", r.indexHtml());
    ArrayNode notes = n.putArray("notes");
    r.notes().forEach(notes::add);
    n.put("marts", r.marts());
    return n;
  }

  static RenderResult fromJson(JsonNode n) {
    List<String> written = new ArrayList<>();
    n.get("written").forEach(p -> written.add(p.asText()));
    List<String> unchanged = new ArrayList<>();
    n.get("unchanged").forEach(p -> unchanged.add(p.asText()));
    Map<String, Integer> pages = new LinkedHashMap<>();
    n.get("pages").properties().forEach(e -> pages.put(e.getKey(), e.getValue().asInt()));
    List<String> notes = new ArrayList<>();
    n.get("notes").forEach(x -> notes.add(x.asText()));
    return new RenderResult(n.get("edition").asText(), n.get("directory").asText(), written, unchanged,
        pages, n.get("indexMarkdown").asText(), n.get("indexHtml").asText(), notes,
        n.path("marts").asText(""));
  }
}
