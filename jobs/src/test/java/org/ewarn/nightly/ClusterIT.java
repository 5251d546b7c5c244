package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly job on a real Spark standalone cluster: a master and one worker started as separate
 * processes on 127.0.0.1 from the jars of the build (jobs/target/lib), the job submitted with
 * SparkSubmit in client mode (in cluster deploy mode SparkSubmit exits 0 even when the driver
 * fails). All six stages run at CI size with the warehouse, the nightly state, the stored models
 * and every output on a real HDFS (a NameNode and a DataNode in this JVM), and every dataset, the
 * notebook export and the report text must equal those of the local reference run of the same
 * command ({@link NightlyChild}), read from a copy of the HDFS folders on local disk.
 * Runs after {@code package} (failsafe), because it needs the jar and target/lib.
 */
@Tag("cluster")
class ClusterIT extends SparkTest {
  private static final Path JOBS = HOME.resolve("jobs");
  private static final Path TARGET = JOBS.resolve("target");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();
  private MiniDFSCluster hdfs;

  @AfterEach
  void stopCluster() throws InterruptedException {
    if (hdfs != null) {
      hdfs.shutdown();
    }
    // Also on failure: no master or worker outlives the test.
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void nightlyOnAStandaloneClusterPublishesWhatALocalRunPublishes() throws Exception {
    NightlyChild.startReference(); // the local run to compare with, meanwhile
    Path sparkHome = sparkHome();
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    conf.setInt("dfs.replication", 1);
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    String store = hdfs.getURI() + "/ewarn";

    int masterPort = freePort();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    int masterUi = freePort();
    start("master", sparkHome, logs, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUi));
    awaitPort(masterPort, logs.resolve("master.log"));
    String master = "spark://127.0.0.1:" + masterPort;
    start("worker", sparkHome, logs, "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()),
        "--cores", "2", "--memory", "2g", "--work-dir", tmp.resolve("worker-work").toString(), master);
    awaitAliveWorker(masterUi, logs.resolve("worker.log"));

    // The six stages at CI size, as the local reference run that the process tests share has them.
    List<String> job = new ArrayList<>(List.of("nightly", "--run-date", "2026-11-26",
        "--set", "export.notebooks.render=false",
        "--set", "nightly.stages=[" + String.join(",", NightlyChild.SIX_STAGES) + "]"));
    job.addAll(NightlyChild.ciSize());
    job.addAll(List.of("--set", "warehouse.root=" + store + "/warehouse", "--set", "output.root=" + store + "/out",
        "--set", "forecast.models-dir=" + store + "/models"));
    Result cluster = runJob(sparkHome, logs, "cluster", job,
        "org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client",
        "--class", "org.ewarn.cli.Ewarn", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.executor.memory=1g",
        "--conf", "spark.cores.max=2", NightlyChild.jobsJar().toString());
    assertThat(cluster.exit()).as("cluster run, stderr in " + logs.resolve("cluster.log")).isZero();
    assertThat(cluster.lastLine()).contains("\"status\":\"ok\"").contains("\"command\":\"nightly\"");
    // The work really ran in executors the worker launched for this application.
    try (Stream<Path> apps = Files.list(tmp.resolve("worker-work"))) {
      assertThat(apps.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("app-"));
    }

    // Everything the run wrote is on HDFS: the warehouse with its nightly state, the models, the outputs.
    FileSystem fs = hdfs.getFileSystem();
    for (String folder : List.of("warehouse/_nightly/stages", "models", "out/latest.json", "out/reports",
        "out/notebooks-exports")) {
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(store + "/" + folder))).as(store + "/" + folder).isTrue();
    }
    Path clusterRoot = Files.createDirectories(tmp.resolve("cluster"));
    for (String folder : List.of("warehouse", "out")) {
      fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(store + "/" + folder),
          new org.apache.hadoop.fs.Path(clusterRoot.resolve(folder).toUri()), true);
    }

    NightlyChild.Reference local = NightlyChild.reference();
    assertThat(local.exit()).as("local reference run: " + local.stderr()).isZero();
    RunOutputs.assertSame(this, local.root(), clusterRoot, "cluster run on HDFS against the local reference run",
        location -> location.replace(store, clusterRoot.toString()));
  }

  record Result(int exit, String lastLine) {}

  /** A SPARK_HOME whose jars/ links the build's runtime jars: the worker builds executor classpaths from it. */
  private Path sparkHome() throws IOException {
    Path home = tmp.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    try (Stream<Path> lib = Files.list(TARGET.resolve("lib"))) {
      for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
      }
    }
    Files.createDirectories(home.resolve("conf"));
    return home.toAbsolutePath();
  }

  /** {@code java} for the master and worker: the Spark jars only, without the jobs jar. */
  private List<String> sparkJava(String xmx) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    cmd.addAll(Arrays.asList(Files.readString(TARGET.resolve("launcher/jvm-options")).trim().split("\\s+")));
    cmd.add("-cp");
    // The master and worker get only the Spark jars: the jobs jar's log4j2.properties would hide
    // their INFO lines, which are what one reads when a cluster does not come up.
    cmd.add(TARGET.resolve("lib") + "/*");
    return cmd;
  }

  private ProcessBuilder builder(Path sparkHome, List<String> cmd, Path log) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false)
        .redirectError(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOG_DIR", log.getParent().toString());
    pb.environment().put("EWARN_HOME", HOME.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return pb;
  }

  private void start(String name, Path sparkHome, Path logs, String mainClass, String... args) throws IOException {
    List<String> cmd = sparkJava("1g");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    Path log = logs.resolve(name + ".log");
    started.add(builder(sparkHome, cmd, log).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
  }

  private Result runJob(Path sparkHome, Path logs, String name, List<String> jobArgs, String... launch)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(NightlyChild.java("2g"));
    cmd.addAll(List.of(launch));
    cmd.addAll(jobArgs);
    Path out = logs.resolve(name + ".out");
    Process p = builder(sparkHome, cmd, logs.resolve(name + ".log")).redirectOutput(out.toFile()).start();
    started.add(p);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      throw new AssertionError(name + " run did not finish in 15 minutes; stderr: " + logs.resolve(name + ".log"));
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    return new Result(p.exitValue(), lines.isEmpty() ? "" : lines.get(lines.size() - 1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitPort(int port, Path log) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      assertStillRunning(log);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the master did not listen on " + port + " within " + START_TIMEOUT + "; log: " + read(log));
  }

  /** The master's status page (JSON) lists the worker once it has registered. */
  private void awaitAliveWorker(int masterUi, Path log) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI status = java.net.URI.create("http://127.0.0.1:" + masterUi + "/json/");
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      assertStillRunning(log);
      try {
        last = http.send(java.net.http.HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        if (last.matches("(?s).*\"aliveworkers\"\\s*:\\s*[1-9].*")) {
          return;
        }
      } catch (IOException notYet) {
        // the web UI starts a moment after the RPC port
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no worker registered with the master within " + START_TIMEOUT
        + "; master status: " + last + "; worker log: " + read(log));
  }

  private void assertStillRunning(Path log) throws IOException {
    for (Process p : started) {
      if (!p.isAlive()) {
        throw new AssertionError("a cluster process exited with " + p.exitValue() + "; " + log + ": " + read(log));
      }
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
