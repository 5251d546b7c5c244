package org.ewarn.export;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.ewarn.io.ExportFolder;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.WarehouseView;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

/**
 * Writes notebook-ready extracts of the latest published marts into
 * {@code <export.root>/<run-id>/}: per table a Parquet and a CSV file, {@code DATA_DICTIONARY.csv}
 * (table, column, type, unit, meaning) and {@code MANIFEST.json} naming the mart partitions read.
 * Optionally renders the notebooks to HTML beside the export before it is published.
 */
public final class NotebookExport {

  public enum Render { AUTO, TRUE, FALSE }

  /** The {@code export} section, bound once. */
  public record Config(
      String root, Path dictionary, Path notebooksDir, Render render, String nbconvert, int timeoutSeconds) {

    public static Config from(org.ewarn.config.Settings settings) {
      return new Config(
          settings.location("export.root"),
          settings.existingPath("export.dictionary"),
          settings.existingPath("export.notebooks.dir"),
          settings.choice("export.notebooks.render", Render.class),
          settings.string("export.notebooks.command"),
          settings.integer("export.notebooks.timeout-seconds", 10, 86_400));
    }
  }

  public record Result(
      String dir, Map<String, Long> rows, List<String> absentMarts, List<Path> notebooks, List<String> warnings) {}

  /** None of the contract's marts is published yet. */
  public static final class NothingToExport extends StageFailure {
    NothingToExport(String message) {
      super(ExitCode.FAILURE, message);
    }
  }

  private final Config config;
  private final Clock clock;

  public NotebookExport(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public Result execute(SparkSession spark, WarehouseView warehouse, String runId, LocalDate runDate,
      String codeVersion, String configHash) {
    ExportContract contract = ExportContract.read(config.dictionary());
    String started = clock.instant().toString();
    ExportFolder folder = ExportFolder.create(config.root(), runId, spark.sparkContext().hadoopConfiguration());
    try {
      Map<String, Long> rows = new LinkedHashMap<>();
      List<String> absent = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      List<String> upstream = new ArrayList<>();
      StringWriter dictionary = new StringWriter();
      try (CSVPrinter dict = new CSVPrinter(dictionary, CSVFormat.DEFAULT.builder()
          .setHeader("table", "column", "type", "unit", "meaning").setRecordSeparator('\n').get())) {
        for (Map.Entry<String, List<ExportContract.Column>> table : contract.tables().entrySet()) {
          String name = table.getKey();
          Optional<Partition> partition = warehouse.latest(name);
          if (partition.isEmpty()) {
            absent.add(name);
            continue;
          }
          Dataset<Row> mart = SparkMarts.read(spark, partition.get());
          List<String> columns = List.of(mart.columns());
          List<String> missing = ExportTables.missing(columns, table.getValue());
          if (!missing.isEmpty()) {
            warnings.add(name + ": the mart lacks the contract columns " + missing);
          }
          List<String> extra = ExportTables.undocumented(columns, table.getValue());
          if (!extra.isEmpty()) {
            warnings.add(name + ": columns not in the export contract (exported, marked undocumented): " + extra);
          }
          Dataset<Row> shaped = ExportTables.conform(mart, table.getValue()).cache();
          folder.writeTable(name, shaped);
          rows.put(name, shaped.count());
          shaped.unpersist();
          upstream.add(name + "/vintage=" + partition.get().vintage()
              + " (run " + partition.get().manifest().runId() + ")");
          for (StructField field : shaped.schema().fields()) {
            ExportContract.Column doc = table.getValue().stream()
                .filter(c -> c.matches(field.name())).findFirst().orElse(null);
            dict.printRecord(name, field.name(), field.dataType().simpleString(),
                doc == null ? "" : doc.unit(),
                doc == null ? "(not in the export contract)" : doc.meaning());
          }
        }
      }
      if (rows.isEmpty()) {
        throw new NothingToExport("no mart to export in " + warehouse.describe()
            + ": none of " + contract.tables().keySet() + " is published; run the stages that write them first");
      }
      folder.writeText("DATA_DICTIONARY.csv", dictionary.toString());
      Map<String, Long> counts = new LinkedHashMap<>();
      rows.forEach((k, v) -> counts.put("rows_" + k, v));
      Manifest manifest = new Manifest("notebooks-exports", runId, "export", runId, List.of(), upstream,
          counts, warnings, codeVersion, configHash, started, clock.instant().toString(),
          Map.of("run_date", runDate.toString(), "absent_marts", String.join(",", absent)));
      folder.writeText("MANIFEST.json", manifest.toJson());
      releaseUnusedHeap();
      List<Path> rendered = List.of();
      if (folder.localStaging().isPresent()) {
        rendered = render(folder.localStaging().get(), rows.keySet(), warnings);
      } else if (config.render() == Render.TRUE) {
        throw StageFailure.config("export.notebooks.render = true but export.root " + config.root()
            + " is not on local disk, where the notebooks run");
      } else if (config.render() == Render.AUTO) {
        warnings.add("notebooks not rendered: export.root " + config.root() + " is not on local disk");
      }
      String published = folder.publish();
      Path staged = folder.localStaging().orElse(null);
      List<Path> html = rendered.stream().map(p -> Path.of(published).resolve(staged.relativize(p))).toList();
      return new Result(published, rows, absent, html, warnings);
    } catch (IOException e) {
      folder.abandon();
      throw new UncheckedIOException("cannot write the export in " + folder.staging(), e);
    } catch (RuntimeException e) {
      folder.abandon();
      throw e;
    }
  }

  /**
   * The notebooks (and, in the nightly, the render stage's JVM next) run as child processes beside
   * this JVM, whose heap is still committed at the high-water mark of the stages before it (the
   * whole -Xmx, 1280 MB on 2 cores), though the export's work is done: a full collection now lets
   * G1 return the unused part to the OS, which keeps the process tree under 2 GiB (BENCHMARKS.md).
   * It takes well under a second; G1PeriodicGCInterval (the launcher) only does this after 10 s
   * idle, too late for a child that starts at once.
   */
  static void releaseUnusedHeap() {
    System.gc();
  }

  /** Executes each notebook against the export and writes {@code notebooks/<name>.html} into it. */
  private List<Path> render(Path exportDir, java.util.Set<String> exported, List<String> warnings) {
    if (config.render() == Render.FALSE) {
      return List.of();
    }
    if (!onPath(config.nbconvert())) {
      if (config.render() == Render.TRUE) {
        throw StageFailure.config("export.notebooks.render = true but '" + config.nbconvert()
            + "' is not installed (Debian: apt-get install jupyter-nbconvert python3-ipykernel"
            + " python3-pandas python3-matplotlib)");
      }
      warnings.add("notebooks not rendered: " + config.nbconvert() + " is not installed");
      return List.of();
    }
    List<Path> notebooks;
    try (Stream<Path> list = Files.list(config.notebooksDir())) {
      notebooks = list.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list notebooks in " + config.notebooksDir(), e);
    }
    Path out = exportDir.resolve("notebooks");
    // Side by side: each is a Python start, imports and an HTML export, mostly one core's work.
    List<RunningNotebook> running = new ArrayList<>();
    try {
      for (Path nb : notebooks) {
        List<String> absent = requiredTables(nb).stream().filter(t -> !exported.contains(t)).toList();
        if (!absent.isEmpty()) {
          warnings.add("notebook " + nb.getFileName() + " not rendered: the export has no " + absent);
          continue;
        }
        running.add(RunningNotebook.start(config.nbconvert(), nb, exportDir, out, config.timeoutSeconds()));
      }
      List<Path> html = new ArrayList<>();
      for (RunningNotebook r : running) {
        r.await();
        html.add(out.resolve(r.notebook.getFileName().toString().replaceFirst("\\.ipynb$", ".html")));
      }
      return html;
    } finally {
      running.forEach(RunningNotebook::stop);
    }
  }

  /** The tables a notebook reads, from its metadata ({@code "ewarn": {"requires": [...]}}). */
  static List<String> requiredTables(Path notebook) {
    try {
      com.fasterxml.jackson.databind.JsonNode requires = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(notebook.toFile()).path("metadata").path("ewarn").path("requires");
      List<String> tables = new ArrayList<>();
      requires.forEach(t -> tables.add(t.asText()));
      return tables;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the notebook " + notebook, e);
    }
  }

  /** One notebook executing with {@code EWARN_EXPORT} set; its failure names the notebook and its log. */
  private record RunningNotebook(Path notebook, Path exportDir, Path log, Process process, String nbconvert,
      int timeoutSeconds) {

    static RunningNotebook start(String nbconvert, Path notebook, Path exportDir, Path outDir, int timeoutSeconds) {
      try {
        Files.createDirectories(outDir);
        Path log = outDir.resolve("." + notebook.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(diesWithParent(List.of(nbconvert, "--to", "html", "--execute",
            "--ExecutePreprocessor.timeout=" + timeoutSeconds, "--output-dir", outDir.toString(),
            notebook.toString())))
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("EWARN_EXPORT", exportDir.toString());
        pb.environment().put("MPLBACKEND", "Agg");
        return new RunningNotebook(notebook, exportDir, log, pb.start(), nbconvert, timeoutSeconds);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + nbconvert + " on " + notebook, e);
      }
    }

    void await() {
      try {
        if (!process.waitFor(timeoutSeconds + 60L, TimeUnit.SECONDS)) {
          throw new StageFailure(ExitCode.FAILURE, "notebook " + notebook + " did not finish in "
              + timeoutSeconds + " s (export.notebooks.timeout-seconds)");
        }
        if (process.exitValue() != 0) {
          String tail = Files.readString(log);
          tail = tail.replaceAll("\u001B\\[[;\\d]*m", "");
          tail = tail.substring(Math.max(0, tail.length() - 3000));
          throw new StageFailure(ExitCode.FAILURE, "notebook " + notebook + " failed on the export "
              + exportDir + " (exit " + process.exitValue() + "):\n" + tail);
        }
        Files.deleteIfExists(log);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + nbconvert + " on " + notebook, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StageFailure(ExitCode.FAILURE, "interrupted while rendering " + notebook);
      }
    }

    /** A notebook still running when another failed is not left behind. */
    void stop() {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * The command, made to receive SIGKILL when the thread that starts it ends: {@link #stop} cannot
   * run when the nightly itself is killed ({@code kill -9}), and a notebook left running would
   * keep writing beside the restart. Linux's parent-death signal, set by util-linux's setpriv
   * (Debian essential) before it executes the command; the starting thread waits for the notebook,
   * so it outlives it. Elsewhere the command runs as it is.
   */
  static List<String> diesWithParent(List<String> command) {
    if (!Files.isExecutable(Path.of(SETPRIV))) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static final String SETPRIV = "/usr/bin/setpriv";

  static boolean onPath(String command) {
    if (command.contains("/")) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
