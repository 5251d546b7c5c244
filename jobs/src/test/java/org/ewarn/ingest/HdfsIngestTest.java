package org.ewarn.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.ewarn.SparkTest;
import org.ewarn.cli.Ewarn;
import org.ewarn.config.Settings;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest into a warehouse on a real HDFS (NameNode and DataNode in this JVM), {@code warehouse.root}
 * an {@code hdfs://} URI: the command writes there through the warehouse module, with no local
 * work warehouse in between, and every partition equals that of the same ingest on local disk. A
 * small source (held in memory, written with the small-table writer) through the command, a large
 * one (streamed: staged, rewritten in staging, scratch data) through the action.
 */
class HdfsIngestTest extends SparkTest {
  @TempDir static Path local;
  static MiniDFSCluster cluster;
  static FileSystem hdfs;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/hdfs-ingest-" + ProcessHandle.current().pid()).getAbsoluteFile();
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
  void ingestsIntoAWarehouseOnHdfsAsOnLocalDisk() throws IOException {
    String root = cluster.getURI() + "/ewarn/warehouse";
    Path onDisk = local.resolve("warehouse");

    // small: the command, as the nightly runs it
    Outcome command = run("ingest", "--source", "coups", "--set", "warehouse.root=\"" + root + "\"");
    assertThat(command.code()).as(command.summary().toString()).isZero();
    assertThat(command.summary().get("outputs").get("coups@" + vintage("coups")).asText())
        .isEqualTo(root + "/coups/vintage=" + vintage("coups"));
    command.summary().get("outputs").forEach(o -> assertThat(o.asText()).startsWith(root + "/"));
    IngestFixture.ingest(spark(), onDisk, Set.of("coups"));

    // large: every source streamed through staging and scratch on HDFS
    Settings onHdfs = IngestFixture.settings(root);
    IngestAction.Result streamed = new IngestAction(new IngestAction.Config(
        IngestConfig.from(onHdfs, Set.of("ged-sample")), onHdfs.sparkProfile(), "hdfs-streamed"), 0L)
        .execute(spark(), SparkMarts.open(spark(), root));
    IngestAction.SourceOutcome ged = IngestFixture.outcome(streamed, "ged-sample");
    assertThat(ged.status()).isEqualTo("published");
    assertThat(ged.partition()).isEqualTo(root + "/ged_events/vintage=" + ged.vintage());
    assertThat(ged.quarantine()).isEqualTo(root + "/ged_events_quarantine/vintage=" + ged.vintage());
    assertThat(streamed.crosswalks().values()).allSatisfy(l -> assertThat(l).startsWith(root + "/"));
    IngestFixture.ingest(spark(), onDisk, Set.of("ged-sample"), 0L);

    Warehouse there = Warehouse.open(root, spark().sparkContext().hadoopConfiguration());
    Warehouse here = Warehouse.open(onDisk.toString());
    assertThat(there.datasets()).isEqualTo(here.datasets()).contains("coups", "ged_events", "ged_events_quarantine",
        "countries", "country_codes", "xw_countrycode");
    for (String dataset : here.datasets()) {
      List<Partition> expected = here.partitions(dataset);
      List<Partition> actual = there.partitions(dataset);
      assertThat(actual).extracting(Partition::vintage).as(dataset)
          .isEqualTo(expected.stream().map(Partition::vintage).toList());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(rows(actual.get(i))).as(actual.get(i).id()).isEqualTo(rows(expected.get(i)));
        assertThat(actual.get(i).manifest().counts()).as(actual.get(i).id())
            .isEqualTo(expected.get(i).manifest().counts());
        assertThat(actual.get(i).manifest().inputs()).isEqualTo(expected.get(i).manifest().inputs());
      }
    }
    // the run's staging and scratch are gone
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(root + "/_staging/hdfs-streamed"))).isFalse();

    // the same files again: nothing to do, on HDFS as on disk
    Outcome again = run("ingest", "--source", "coups", "--set", "warehouse.root=\"" + root + "\"");
    assertThat(again.code()).isZero();
    assertThat(again.summary().get("counts").get("sources_unchanged").asLong()).isEqualTo(1L);
    assertThat(again.summary().get("counts").get("sources_published").asLong()).isZero();
  }

  private static String vintage(String source) {
    return IngestConfig.from(IngestFixture.settings(local.resolve("any")), Set.of(source)).sources().stream()
        .filter(s -> s.name().equals(source)).findFirst().orElseThrow().vintage();
  }

  private List<String> rows(Partition p) {
    return SparkMarts.read(spark(), p).toJSON().collectAsList().stream().sorted().toList();
  }

  private record Outcome(int code, JsonNode summary) {}

  private static Outcome run(String... args) throws IOException {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Ewarn.run(args);
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    return new Outcome(code, new ObjectMapper().readTree(lines[lines.length - 1]));
  }
}
