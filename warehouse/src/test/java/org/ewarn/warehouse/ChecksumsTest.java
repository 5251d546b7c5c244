package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SHA-256 against the FIPS 180-2 vectors and against coreutils' sha256sum, an independent implementation. */
class ChecksumsTest {
  @Test
  void knownVectors() {
    assertThat(Checksums.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Checksums.sha256(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(new Checksums.Sha256().add("a").add("bc".getBytes(StandardCharsets.UTF_8)).hex())
        .isEqualTo(Checksums.sha256("abc"));
  }

  @Test
  void filesOnEveryStoreAgreeWithSha256sum(@TempDir Path tmp) throws Exception {
    Path data = TestData.FORECASTS;
    String expected = sha256sum(data.toString());
    assertThat(Checksums.sha256(data)).isEqualTo(expected);
    assertThat(Checksums.describe(data)).isEqualTo(new Manifest.InputFile(data.toString(), Files.size(data), expected));
    Storage hdfs = Storage.open(Hdfs.root("checksums"), Hdfs.conf());
    hdfs.write("in/forecasts.csv.gz", Files.readAllBytes(data));
    assertThat(hdfs.sha256("in/forecasts.csv.gz")).isEqualTo(expected);
    assertThat(hdfs.info("in/forecasts.csv.gz").orElseThrow().bytes()).isEqualTo(Files.size(data));
  }

  @Test
  void aPartitionsContentHashIsTheLabelThenItsFilesThenItsManifest(@TempDir Path tmp) throws Exception {
    Warehouse w = Warehouse.open(tmp.toString());
    Partition p = w.publish("d", "2024", TestData.manifest("d", "2024", "r1", "2026-12-01T02:00:00Z"), TestData.slice(WarehouseContract.FORECASTS, 0, 40));
    String file = p.dataFiles().get(0);
    String manifest = p.location() + "/_MANIFEST.json";
    assertThat(p.contentSha256(false)).isEqualTo(sh("printf %s 2024 | cat - '" + file + "' | sha256sum | cut -c1-64"));
    assertThat(p.contentSha256(true)).isEqualTo(sh("printf %s 2024 | cat - '" + file + "' '" + manifest + "' | sha256sum | cut -c1-64"));
    assertThat(p.manifestSha256()).isEqualTo(sha256sum(manifest));
  }

  private static String sha256sum(String file) throws Exception {
    return sh("sha256sum '" + file + "' | cut -c1-64");
  }

  private static String sh(String command) throws Exception {
    Process p = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
