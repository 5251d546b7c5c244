package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the jobs wrote at 01d6c35, before this module (src/test/resources/baseline: two marts, a
 * Spark-written one with its .crc files and one from the jobs' small writer, manifests, latest.json):
 * they read as before, and what the module writes is byte for byte what the jobs wrote.
 */
class FormatCompatibilityTest {
  static final Path BASELINE = TestData.HOME.resolve("warehouse/src/test/resources/baseline");

  @Test
  void manifestsAndThePointerRoundTripByteForByte() throws Exception {
    for (String name : new String[] {"protests-manifest.json", "panel-manifest.json",
        "warehouse/risk_forecasts/vintage=2024/_MANIFEST.json",
        "warehouse/backtest_metrics/vintage=20261201T213609Z-7590/_MANIFEST.json"}) {
      byte[] written = Files.readAllBytes(BASELINE.resolve(name));
      assertThat(Manifest.parse(written).toJson()).as(name).isEqualTo(new String(written, StandardCharsets.UTF_8));
    }
    Storage out = Storage.open(BASELINE.resolve("out").toString());
    RunPointer pointer = RunPointer.read(out).orElseThrow();
    assertThat(pointer.runId()).isEqualTo("20261201T213609Z-7590");
    assertThat(Json.MAPPER.writeValueAsString(pointer))
        .isEqualTo(Files.readString(BASELINE.resolve("out/latest.json")));
  }

  /** The shape of the nightly's stage ledger entry (jobs' StageLedger.Entry), to write one as it does. */
  record LedgerEntry(
      @JsonProperty("stage") String stage,
      @JsonProperty("fingerprint") String fingerprint,
      @JsonProperty("run_id") String runId,
      @JsonProperty("run_date") String runDate,
      @JsonProperty("finished") String finished,
      @JsonProperty("code_version") String codeVersion,
      @JsonProperty("config_hash") String configHash,
      @JsonProperty("inputs") Map<String, String> inputs,
      @JsonProperty("outputs") Map<String, String> outputs,
      @JsonProperty("counts") Map<String, Long> counts) {}

  @Test
  void aStateFileIsWrittenAsTheNightlyWroteIt(@TempDir Path tmp) throws Exception {
    Storage baseline = Storage.open(BASELINE.toString());
    LedgerEntry entry = baseline.readJson("panel-stage.json", LedgerEntry.class).orElseThrow();
    Storage state = Storage.open(tmp.toString());
    state.writeJson("stages/panel.json", entry);
    assertThat(Files.readString(tmp.resolve("stages/panel.json"))).isEqualTo(Files.readString(BASELINE.resolve("panel-stage.json")));
  }

  @Test
  void martsWrittenBeforeTheModuleAreReadWithTheirManifests() {
    Warehouse w = Warehouse.open(BASELINE.resolve("warehouse").toString());
    assertThat(w.datasets()).containsExactly("backtest_metrics", "risk_forecasts");
    Partition forecasts = w.require("risk_forecasts");
    assertThat(forecasts.manifest().properties()).containsKey("primary_model");
    assertThat(forecasts.read().size()).isEqualTo(forecasts.manifest().count("rows")).isEqualTo(2352);
    assertThat(forecasts.dataFiles()).hasSize(1);
    Partition metrics = w.require("backtest_metrics");
    assertThat(metrics.read().size()).isEqualTo(metrics.manifest().count("rows")).isEqualTo(32);
    assertThat(metrics.read().columnNames()).startsWith("model", "protocol", "scope");
  }

  @Test
  void aSmallTableIsWrittenAsTheJobsWriterWroteIt(@TempDir Path tmp) throws Exception {
    // backtest_metrics was written by the jobs' SmallParquet. The same table written again here
    // must give the same file content: schema, Spark metadata, values, statistics, encodings.
    // (Not the same bytes: parquet-mr orders a footer's encoding lists differently from one JVM to
    // the next, as five runs of the same writer showed.)
    Partition metrics = Warehouse.open(BASELINE.resolve("warehouse").toString()).require("backtest_metrics");
    Partition again = Warehouse.open(tmp.toString()).publish("backtest_metrics", metrics.vintage(), metrics.manifest(),
        metrics.read());
    assertThat(again.read()).isEqualTo(metrics.read());
    assertThat(footer(again)).isEqualTo(footer(metrics));
    assertThat(Files.size(Path.of(again.dataFiles().get(0)))).isEqualTo(Files.size(Path.of(metrics.dataFiles().get(0))));
  }

  /** What a footer says, with the encodings as sets. */
  private static List<String> footer(Partition p) throws Exception {
    List<String> out = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(p.dataFiles().get(0)), new org.apache.hadoop.conf.Configuration()))) {
      out.add(r.getFooter().getFileMetaData().getSchema().toString());
      out.add(new TreeMap<>(r.getFooter().getFileMetaData().getKeyValueMetaData()).toString());
      out.add(r.getFooter().getFileMetaData().getCreatedBy());
      for (var block : r.getFooter().getBlocks()) {
        out.add("rows " + block.getRowCount());
        for (var c : block.getColumns()) {
          out.add(c.getPath() + " " + c.getCodec() + " " + c.getStatistics() + " " + new TreeSet<>(c.getEncodings())
              + " " + c.getTotalSize() + " " + c.getValueCount());
        }
      }
    }
    return out;
  }

  @Test
  void aSparkFileWhoseBytesNoLongerMatchItsCrcIsRefused(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("wh/risk_forecasts/vintage=2024");
    Files.createDirectories(copy);
    Path source = BASELINE.resolve("warehouse/risk_forecasts/vintage=2024");
    try (var files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path part = copy.resolve("part-00000-24694dab-53d8-4127-9695-9342daa1814a-c000.zstd.parquet");
    byte[] bytes = Files.readAllBytes(part);
    bytes[bytes.length / 2] ^= 1; // one bit: the zstd frame may survive it, the .crc does not
    Files.write(part, bytes);
    Partition p = Warehouse.open(tmp.resolve("wh").toString()).require("risk_forecasts");
    org.assertj.core.api.Assertions.assertThatThrownBy(p::read)
        .isInstanceOfSatisfying(WarehouseFailure.class, f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.DAMAGED))
        .hasMessageContaining("risk_forecasts/vintage=2024").hasMessageContaining("Checksum");
  }
}
