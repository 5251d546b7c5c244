package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.ewarn.warehouse.Checksums;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render on a real HDFS (NameNode and DataNode in this JVM): warehouse and output root given as
 * {@code hdfs://} URIs, marts read through the pointer {@code latest.json} on HDFS, PDFs, their
 * {@code .sha256}, the ledger and the index written there. The PDFs' text equals that of the same
 * render on local disk.
 */
class HdfsRenderTest {
  @TempDir static Path local;
  static MiniDFSCluster cluster;
  static FileSystem hdfs;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/hdfs-" + ProcessHandle.current().pid()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void rendersFromAWarehouseOnHdfsIntoAnOutputRootOnHdfs() throws IOException {
    Path wh = local.resolve("warehouse");
    new MartFixtures().publishAll(wh);
    String root = cluster.getURI().toString();
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(wh.toUri()), new org.apache.hadoop.fs.Path(root + "/wh"));
    // the last run names the 2023 forecasts partition: read through the pointer on HDFS
    String pointer = "{\"run_id\":\"night-1\",\"run_date\":\"2026-11-26\",\"published\":\"2026-11-26T02:00:00Z\","
        + "\"code_version\":\"test\",\"outputs\":{\"forecast.risk_forecasts\":\"" + root
        + "/wh/risk_forecasts/vintage=" + MartFixtures.EDITION + "\"}}";
    try (var out = hdfs.create(new org.apache.hadoop.fs.Path(root + "/out/latest.json"))) {
      out.write(pointer.getBytes(StandardCharsets.UTF_8));
    }

    // no Hadoop configuration given: the URI names the NameNode
    RenderResult onHdfs = new RenderAction(new RenderConfig(root + "/wh", root + "/out", List.of("en"), "latest", 0,
        RenderActionTest.DAY, "run-h", "", MartFixtures.TOP, "test-version")).execute();
    RenderResult onDisk = new RenderAction(RenderActionTest.config(wh, local.resolve("out"), List.of("en"), "run-h",
        RenderActionTest.DAY)).execute();

    assertThat(onHdfs.marts()).startsWith(root + "/wh").contains("run night-1");
    assertThat(onHdfs.directory()).isEqualTo(root + "/out/reports/2026/" + MartFixtures.EDITION);
    assertThat(onHdfs.written()).hasSize(6).allSatisfy(f -> assertThat(f).startsWith(root + "/out/reports/"));
    assertThat(onHdfs.indexMarkdown()).isEqualTo(root + "/out/reports/index.md");
    for (String file : onHdfs.written()) {
      String name = file.substring(file.lastIndexOf('/') + 1);
      Path copy = local.resolve("from-hdfs").resolve(name);
      hdfs.copyToLocalFile(new org.apache.hadoop.fs.Path(file), new org.apache.hadoop.fs.Path(copy.toUri()));
      assertThat(Pdfs.text(copy)).as(name).isEqualTo(Pdfs.text(Rendered.directory(onDisk).resolve(name)));
      String sha;
      try (var in = hdfs.open(new org.apache.hadoop.fs.Path(file + ".sha256"))) {
        sha = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      }
      assertThat(sha).isEqualTo(Checksums.sha256(Files.readAllBytes(copy)) + "  " + name + "\n");
    }
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(onHdfs.directory() + "/" + Publication.LEDGER))).isTrue();

    // unchanged inputs on HDFS: the second render writes nothing
    RenderResult again = new RenderAction(new RenderConfig(root + "/wh", root + "/out", List.of("en"), "latest", 0,
        RenderActionTest.DAY.plusDays(1), "run-h2", "", MartFixtures.TOP, "test-version")).execute();
    assertThat(again.written()).isEmpty();
    assertThat(again.unchanged()).containsExactlyInAnyOrderElementsOf(onHdfs.written());
  }
}
