package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/** Every reader on the real bundled files, checked against an independent commons-csv reading. */
@org.junit.jupiter.api.Tag("slow")
class IngestRealDataTest extends SparkTest {
  /** Every configured source: each reader on its real bundled file. */
  private static final Set<String> SOURCES = Set.of();
  private static Path warehouseRoot;
  private static IngestAction.Result result;

  private IngestAction.Result result() throws Exception {
    if (result == null) {
      warehouseRoot = Files.createTempDirectory("ewarn-ingest-real");
      result = IngestFixture.ingest(spark(), warehouseRoot, SOURCES);
    }
    return result;
  }

  private Dataset<Row> dataset(String name, String vintage) throws Exception {
    result();
    Warehouse w = Warehouse.open(warehouseRoot.toString());
    return SparkMarts.read(spark(), w.partition(name, vintage).orElseThrow());
  }

  @Test
  void everyRecordIsAccountedFor() throws Exception {
    for (IngestAction.SourceOutcome o : result().sources()) {
      Manifest m = Warehouse.open(warehouseRoot.toString()).partition(o.dataset(), o.vintage()).orElseThrow().manifest();
      assertThat(m.count("rows_read"))
          .as(o.source())
          .isEqualTo(m.count("accepted") + m.count("quarantined") + m.count("duplicates")
              + m.counts().getOrDefault("skipped_absent", 0L));
      long published = dataset(o.dataset(), o.vintage()).count();
      long quarantined = dataset(o.dataset() + "_quarantine", o.vintage()).count();
      assertThat(published).as(o.source() + " accepted").isEqualTo(m.count("accepted"));
      assertThat(quarantined).as(o.source() + " quarantined").isEqualTo(m.count("quarantined"));
    }
  }

  @Test
  void everySourceReadsAsManyRecordsAsAnIndependentParser() throws Exception {
    var config = IngestConfig.from(IngestFixture.settings(warehouseRoot()), Set.of());
    assertThat(result().sources()).hasSize(config.sources().size());
    for (IngestConfig.Source s : config.sources()) {
      long expected = 0;
      for (Path f : s.files()) {
        expected += IngestFixture.recordCount(f, s.encoding());
      }
      assertThat(IngestFixture.outcome(result(), s.name()).counts().get("rows_read")).as(s.name()).isEqualTo(expected);
    }
  }

  private Path warehouseRoot() throws Exception {
    result();
    return warehouseRoot;
  }

  @Test
  void rowsReadMatchAnIndependentCsvReading() throws Exception {
    assertThat(IngestFixture.outcome(result(), "ged-sample").counts().get("rows_read")).isEqualTo(
        IngestFixture.records(IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz")).size());
    assertThat(IngestFixture.outcome(result(), "ged").counts().get("rows_read")).isEqualTo(
        IngestFixture.records(IngestFixture.DATA.resolve("ucdp/ged-23.1-central-african-republic.csv.gz")).size());
    var pts = IngestFixture.outcome(result(), "pts");
    assertThat(pts.counts().get("rows_read")).isEqualTo(
        IngestFixture.records(IngestFixture.DATA.resolve("covariates/political-terror-scale-2024.csv.gz"),
            StandardCharsets.ISO_8859_1).size());
  }

  @Test
  void gedDeathOrderRuleCatchesExactlyTheInconsistentRealEvents() throws Exception {
    long inconsistent = 0;
    for (String f : List.of("ged-23.1-global-sample", "ged-23.1-central-african-republic")) {
      for (CSVRecord r : IngestFixture.records(IngestFixture.DATA.resolve("ucdp/" + f + ".csv.gz"))) {
        int low = Integer.parseInt(r.get("low"));
        int best = Integer.parseInt(r.get("best"));
        int high = Integer.parseInt(r.get("high"));
        if (!(low <= best && best <= high)) {
          inconsistent++;
        }
      }
    }
    assertThat(inconsistent).isPositive();
    assertThat(IngestFixture.outcome(result(), "ged").counts().getOrDefault("quarantined.deaths_ordered", 0L)
        + IngestFixture.outcome(result(), "ged-sample").counts().getOrDefault("quarantined.deaths_ordered", 0L))
        .isEqualTo(inconsistent);
  }

  @Test
  void gedEventKeepsItsValuesAndGetsCanonicalKeys() throws Exception {
    Row e = dataset("ged_events", "23.1-global-sample").where(col("id").equalTo(300380L)).first();
    assertThat(e.<Integer>getAs("gw_code")).isEqualTo(652);
    assertThat(e.<String>getAs("iso3")).isEqualTo("SYR");
    assertThat(e.<Integer>getAs("cow_code")).isEqualTo(652);
    assertThat(e.<String>getAs("source_country")).isEqualTo("Syria");
    assertThat(e.<Date>getAs("date_start")).isEqualTo(Date.valueOf("2013-01-03"));
    assertThat(e.<Integer>getAs("best")).isEqualTo(2);
    assertThat(e.<Double>getAs("latitude")).isEqualTo(35.763369);
    assertThat(e.<String>getAs("source_file")).endsWith("ged-23.1-global-sample.csv.gz");
  }

  @Test
  void quotedFieldsSpanningLinesAreReadWholeWithTheirStartingLine() throws Exception {
    Path file = IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz");
    CSVRecord multiLine = null;
    long startLine = 0;
    long previousEnd = 1; // the header is line 1
    try (var reader = IngestFixture.open(file, StandardCharsets.UTF_8);
        var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .get().parse(reader)) {
      for (CSVRecord r : parser) {
        long end = parser.getCurrentLineNumber();
        if (multiLine == null && r.get("source_article").contains("\n")) {
          multiLine = r;
          startLine = previousEnd + 1;
        }
        previousEnd = end;
      }
    }
    assertThat(multiLine).as("the GED sample has a multi-line quoted field").isNotNull();
    Row e = dataset("ged_events", "23.1-global-sample").where(col("id").equalTo(Long.parseLong(multiLine.get("id")))).first();
    assertThat(e.<String>getAs("source_article")).isEqualTo(multiLine.get("source_article").strip());
    assertThat(e.<Long>getAs("source_line")).isEqualTo(startLine);
  }

  @Test
  void olderGedSchemaIsConformedToTheCurrentColumns() throws Exception {
    Dataset<Row> syria = dataset("ged_events", "19.1");
    Dataset<Row> current = dataset("ged_events", "23.1-global-sample");
    assertThat(syria.columns()).containsExactly(current.columns());
    assertThat(syria.where(col("relid").isNotNull()).count()).isZero();
    assertThat(syria.select("gw_code").distinct().collectAsList()).extracting(r -> r.getInt(0)).containsExactly(652);
  }

  @Test
  void latin1FileIsDecodedAsLatin1() throws Exception {
    java.util.Set<String> expected = new java.util.TreeSet<>();
    for (CSVRecord r : IngestFixture.records(IngestFixture.DATA.resolve("covariates/political-terror-scale-2024.csv.gz"),
        StandardCharsets.ISO_8859_1)) {
      expected.add(r.get("Country"));
    }
    java.util.Set<String> names = new java.util.TreeSet<>();
    dataset("pts", "2024").select("source_country").distinct().collectAsList().forEach(r -> names.add(r.getString(0)));
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (Row r : dataset("pts_quarantine", "2024").select("raw").collectAsList()) {
      // fields as read (a JSON array), or the typed record for a conflicting duplicate (an object)
      var raw = json.readTree(r.getString(0));
      names.add(raw.isArray() ? raw.get(0).asText() : raw.get("source_country").asText());
    }
    assertThat(names).isEqualTo(expected);
  }

  @Test
  void decoDatesInMonthDayYearAreParsed() throws Exception {
    Row e = dataset("deco_events", "1.0").where(col("id").equalTo(95L)).first();
    assertThat(e.<Date>getAs("date_start")).isEqualTo(Date.valueOf("2012-02-21"));
    assertThat(e.<String>getAs("electoral_type")).isEqualTo("2");
    assertThat(e.<String>getAs("iso3")).isEqualTo("YEM");
  }

  @Test
  void codesOfEverySystemReachTheSameCountries() throws Exception {
    Row cuba = dataset("coups", "2022.11.29").where(col("cow_code").equalTo(40)).first();
    assertThat(cuba.<String>getAs("iso3")).isEqualTo("CUB");
    assertThat(cuba.<Integer>getAs("gw_code")).isEqualTo(40);
    Row uk = dataset("hief", "2025").where(col("source_country").equalTo("United Kingdom")).first();
    assertThat(uk.<Integer>getAs("cow_code")).isEqualTo(200);
    Dataset<Row> predictors = dataset("ewp_predictors", "2025");
    assertThat(predictors.columns()).contains("popsize_log2", "mk_onset_1or2", "coup_try_5yr", "cow_code", "iso3");
    assertThat(predictors.count()).isEqualTo(
        IngestFixture.records(IngestFixture.DATA.resolve("ewp/prepared-predictors-2025.csv.gz")).size());
  }

  @Test
  void episodesKeepStateLedFlagAndLocation() throws Exception {
    Row rwanda = dataset("ewp_episodes", "2025").where(col("mk_location_cow").equalTo(517)
        .and(col("startyear").equalTo(1994))).first();
    assertThat(rwanda.<String>getAs("state_led_or_non_state_led")).isEqualTo("State-Led");
    assertThat(rwanda.<String>getAs("iso3")).isEqualTo("RWA");
  }
}
