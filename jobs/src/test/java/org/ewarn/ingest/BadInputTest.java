package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.io.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.junit.jupiter.api.Test;

/**
 * The bad-input list of the ingest issue, each built from real GED 23.1 rows with one fault: every
 * case ends in quarantine with a reason, or in an error naming the file and what was expected.
 */
class BadInputTest extends SparkTest {
  private static final Path GED = IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz");
  private static final Path GED19 = IngestFixture.DATA.resolve("ucdp/ged-19.1-syria-2016-2019.csv.gz");
  private static Path root;
  private static List<String> header;
  private static List<CSVRecord> rows;

  private Path root() throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("ewarn-bad-input");
      rows = IngestFixture.records(GED).subList(0, 40);
      try (var reader = IngestFixture.open(GED, StandardCharsets.UTF_8);
          var parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(reader)) {
        header = parser.getHeaderNames();
      }
    }
    return root;
  }

  private static Map<String, String> row(int i) {
    Map<String, String> m = new LinkedHashMap<>();
    CSVRecord r = rows.get(i);
    for (String h : header) {
      m.put(h, r.get(h));
    }
    return m;
  }

  private Path write(String name, List<List<String>> records, Charset charset) throws IOException {
    Path file = root().resolve(name);
    try (Writer w = Files.newBufferedWriter(file, charset);
        CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      p.printRecord(header);
      for (List<String> r : records) {
        p.printRecord(r);
      }
    }
    return file;
  }

  private IngestAction.Result ingest(String source, String dataset, String format, Path file, String... extra)
      throws IOException {
    List<String> sets = new ArrayList<>(List.of(
        "ingest.sources." + source + " = { dataset = " + dataset + ", format = " + format
            + ", vintage = \"t1\", files = [\"" + file + "\"] }"));
    sets.addAll(List.of(extra));
    return IngestFixture.ingest(spark(), root(), Set.of(source), sets.toArray(String[]::new));
  }

  private Map<Long, String> reasonsByLine(String dataset) throws IOException {
    Warehouse w = new Warehouse(root());
    Map<Long, String> out = new LinkedHashMap<>();
    for (Row r : w.read(spark(), w.published(dataset + "_quarantine", "t1").orElseThrow())
        .orderBy("source_line").collectAsList()) {
      out.put(r.getLong(r.fieldIndex("source_line")), r.getString(r.fieldIndex("reason")));
    }
    return out;
  }

  @Test
  void eachFaultyRowIsQuarantinedWithItsReason() throws IOException {
    List<List<String>> records = new ArrayList<>();
    records.add(new ArrayList<>(row(0).values()));                       // line 2: good
    List<String> shortRow = new ArrayList<>(row(1).values());
    records.add(shortRow.subList(0, 30));                                // line 3: short row
    List<String> extra = new ArrayList<>(row(2).values());
    extra.add("surplus");
    records.add(extra);                                                  // line 4: extra field
    Map<String, String> badDate = row(3);
    badDate.put("date_start", "31/02/2013");
    records.add(new ArrayList<>(badDate.values()));                      // line 5: unparseable date
    Map<String, String> text = row(4);
    text.put("best", "many");
    records.add(new ArrayList<>(text.values()));                         // line 6: non-numeric deaths
    Map<String, String> negative = row(5);
    negative.put("low", "-3");
    negative.put("deaths_a", "-3");
    records.add(new ArrayList<>(negative.values()));                     // line 7: negative deaths
    Map<String, String> unknown = row(6);
    unknown.put("country_id", "999");
    records.add(new ArrayList<>(unknown.values()));                      // line 8: unknown country
    records.add(new ArrayList<>(row(0).values()));                       // line 9: exact duplicate of line 2
    Map<String, String> conflicting = row(7);
    conflicting.put("id", row(0).get("id"));
    records.add(new ArrayList<>(conflicting.values()));                  // line 10: same id, other content
    Map<String, String> multiLine = row(8);
    multiLine.put("source_headline", "first line\nsecond line, with a comma");
    records.add(new ArrayList<>(multiLine.values()));                    // lines 11-12: quoted newline
    records.add(new ArrayList<>(row(9).values()));                       // line 13: good
    Path file = write("faults.csv", records, StandardCharsets.UTF_8);

    var outcome = IngestFixture.outcome(
        ingest("faults", "ged_events", "ged", file, "quality.max-error-rate = 1.0"), "faults");

    // ged_events: the dataset whose quality rules (conf/quality.conf) apply
    assertThat(reasonsByLine("ged_events")).containsExactly(
        Map.entry(3L, "short_row"), Map.entry(4L, "extra_fields"), Map.entry(5L, "bad_date"),
        Map.entry(6L, "bad_integer"), Map.entry(7L, "deaths_non_negative"), Map.entry(8L, "unknown_country"),
        Map.entry(10L, "duplicate_key"));
    assertThat(outcome.counts()).containsEntry("rows_read", 11L).containsEntry("accepted", 3L)
        .containsEntry("quarantined", 7L).containsEntry("duplicates", 1L);
    Warehouse w = new Warehouse(root());
    List<Row> good = w.read(spark(), w.published("ged_events", "t1").orElseThrow()).orderBy("source_line").collectAsList();
    assertThat(good).extracting(r -> r.<Long>getAs("source_line")).containsExactly(2L, 11L, 13L);
    assertThat(good.get(1).<String>getAs("source_headline")).isEqualTo("first line\nsecond line, with a comma");
    Row message = w.read(spark(), w.published("ged_events_quarantine", "t1").orElseThrow())
        .where(col("source_line").equalTo(6L)).first();
    assertThat(message.<String>getAs("message")).isEqualTo("column best: 'many' is not a whole number");
    assertThat(message.<String>getAs("raw")).contains("\"many\"");
  }

  @Test
  void tooManyBadRowsBlockPublishingWithExitThree() throws IOException {
    List<List<String>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, String> r = row(10 + i);
      if (i < 3) {
        r.put("date_end", "someday");
      }
      records.add(new ArrayList<>(r.values()));
    }
    Path file = write("gate.csv", records, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ingest("gate", "t_gate", "ged", file))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
          assertThat(e.getMessage()).contains("t_gate", "30.00 %", "bad_date=3");
        });
    assertThat(new Warehouse(root()).published("t_gate", "t1")).isEmpty();
  }

  @Test
  void olderSchemaDeclaredAsNewerNamesTheMissingColumnsAndTheRightFormat() {
    assertThatThrownBy(() -> ingest("old_as_new", "t_schema1", "ged", GED19))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains(GED19.toString(), "missing required columns", "relid",
              "format = ged-19");
        });
  }

  @Test
  void newerSchemaDeclaredAsOlderNamesTheUnknownColumns() {
    assertThatThrownBy(() -> ingest("new_as_old", "t_schema2", "ged-19", GED))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains(GED.toString(), "columns the format does not declare",
              "code_status", "format = ged");
        });
  }

  @Test
  void latin1FileDeclaredAsLatin1KeepsItsAccents() throws IOException {
    Map<String, String> r = row(20);
    r.put("where_description", "près de Bouaké, Côte d'Ivoire");
    Path file = write("latin1.csv", List.of(new ArrayList<>(r.values())), StandardCharsets.ISO_8859_1);
    ingest("latin", "t_latin1", "ged", file, "ingest.sources.latin.encoding = ISO-8859-1");
    Warehouse w = new Warehouse(root());
    Row e = w.read(spark(), w.published("t_latin1", "t1").orElseThrow()).first();
    assertThat(e.<String>getAs("where_description")).isEqualTo("près de Bouaké, Côte d'Ivoire");
  }

  @Test
  void emptyFileIsAnErrorNamingIt() throws IOException {
    Path file = root().resolve("empty.csv");
    Files.writeString(file, "");
    assertThatThrownBy(() -> ingest("empty", "t_empty", "ged", file))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
          assertThat(e.getMessage()).contains(file.toString(), "is empty", "header");
        });
  }

  @Test
  void headerOnlyFilePublishesAnEmptyVintageWithAWarning() throws IOException {
    Path file = write("header-only.csv", List.of(), StandardCharsets.UTF_8);
    var outcome = IngestFixture.outcome(ingest("hdr", "t_header", "ged", file), "hdr");
    assertThat(outcome.status()).isEqualTo("published");
    assertThat(outcome.counts()).containsEntry("rows_read", 0L);
    assertThat(outcome.warnings()).anyMatch(w -> w.contains("header only"));
  }

  @Test
  void missingFileIsAConfigurationErrorNamingTheKey() {
    Path missing = Path.of("/nonexistent/ged.csv");
    assertThatThrownBy(() -> ingest("gone", "t_gone", "ged", missing))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains("ingest.sources.gone.files", "/nonexistent/ged.csv", "does not exist");
        });
  }

  @Test
  void reIngestingTheSameFilesIsANoOpAndOtherFilesNeedANewVintage() throws IOException {
    Path file = write("stable.csv", List.of(new ArrayList<>(row(30).values()), new ArrayList<>(row(31).values())),
        StandardCharsets.UTF_8);
    var first = IngestFixture.outcome(ingest("stable", "t_stable", "ged", file), "stable");
    Path manifest = first.partition().resolve(Warehouse.MANIFEST);
    String before = Files.readString(manifest);
    var second = IngestFixture.outcome(ingest("stable", "t_stable", "ged", file), "stable");
    assertThat(second.status()).isEqualTo("unchanged");
    assertThat(second.counts()).isEqualTo(first.counts());
    assertThat(Files.readString(manifest)).isEqualTo(before);

    Path changed = write("stable-v2.csv", List.of(new ArrayList<>(row(32).values())), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ingest("stable", "t_stable", "ged", changed))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains("already published from other files", "new vintage label");
        });
    assertThat(Files.readString(manifest)).isEqualTo(before);
  }
}
