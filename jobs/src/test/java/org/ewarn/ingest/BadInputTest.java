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
import org.ewarn.io.SparkMarts;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/**
 * The bad-input list of the ingest issue, each built from real GED 23.1 rows with one fault: every
 * case ends in quarantine with a reason, or in an error naming the file and what was expected.
 */
@org.junit.jupiter.api.Tag("slow")
class BadInputTest extends SparkTest {
  private static final Path GED = IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz");
  private static final Path GED19 = IngestFixture.DATA.resolve("ucdp/ged-19.1-syria-2016-2019.csv.gz");
  private static Path root;
  private static List<String> header;
  private static List<CSVRecord> rows;

  private static Path root() throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("ewarn-bad-input");
      rows = IngestFixture.records(GED).subList(0, 80);
      try (var reader = IngestFixture.open(GED, StandardCharsets.UTF_8);
          var parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(reader)) {
        header = parser.getHeaderNames();
      }
    }
    return root;
  }

  private static Map<String, String> row(int i) {
    try {
      root();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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

  /**
   * The 32-record file: rows 40-71 of the real GED sample, 21 left as they are (one with
   * deaths that do not add up, a warning), 10 with one fault each and 1 exact repeat. Keys of
   * {@code faults} are the CSV line numbers, values the reason expected there.
   */
  private Path thirtyTwoRecords(Map<Long, String> faults, String name) throws IOException {
    List<List<String>> records = new ArrayList<>();
    long line = 2;
    for (int i = 0; i < 31; i++) {
      Map<String, String> r = row(40 + i);
      switch (i) {
        case 2 -> { r.put("low", "-3"); r.put("deaths_a", "-3"); faults.put(line, "deaths_non_negative"); }
        case 5 -> { r.put("low", String.valueOf(Integer.parseInt(r.get("best")) + 5));
          r.put("high", String.valueOf(Integer.parseInt(r.get("best")) + 9)); faults.put(line, "deaths_ordered"); }
        case 8 -> { r.put("date_start", "2020-01-10 00:00:00.000"); r.put("date_end", "2020-01-01 00:00:00.000");
          r.put("year", "2020"); faults.put(line, "dates_ordered"); }
        case 11 -> { r.put("latitude", "123.0"); faults.put(line, "latitude_in_range"); }
        case 14 -> { r.put("longitude", "200.5"); faults.put(line, "longitude_in_range"); }
        case 17 -> { r.put("type_of_violence", "4"); faults.put(line, "violence_type_known"); }
        case 20 -> { r.put("year", "1950"); faults.put(line, "year_matches_date"); }
        case 23 -> { r.put("date_end", "31/02/2013"); faults.put(line, "bad_date"); }
        case 26 -> { r.put("best", "many"); faults.put(line, "bad_integer"); }
        case 29 -> { r.put("country_id", "999"); faults.put(line, "unknown_country"); }
        case 30 -> r.put("deaths_unknown", String.valueOf(Integer.parseInt(r.get("deaths_unknown")) + 1));
        default -> { }
      }
      records.add(new ArrayList<>(r.values()));
      // real headlines hold quoted newlines: source_line counts physical lines
      line += 1 + r.values().stream().mapToLong(v -> v.chars().filter(ch -> ch == '\n').count()).sum();
    }
    records.add(new ArrayList<>(row(40).values()));                      // exact repeat of the first record
    assertThat(records).hasSize(32);
    return write(name, records, StandardCharsets.UTF_8);
  }

  @Test
  void qualityRulesFollowTheFormatWhateverTheDatasetName() throws IOException {
    Map<Long, String> faults = new LinkedHashMap<>();
    Path file = thirtyTwoRecords(faults, "thirty-two.csv");
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (String dataset : List.of("ged_events", "ged_release_h")) {
      var outcome = IngestFixture.outcome(
          ingest("g32_" + dataset, dataset, "ged", file, "quality.max-error-rate = 1.0",
              "ingest.sources.g32_" + dataset + ".vintage = t32"), "g32_" + dataset);
      assertThat(reasonsByLine(dataset, "t32")).as(dataset).containsExactlyEntriesOf(faults);
      assertThat(outcome.counts()).as(dataset).containsEntry("rows_read", 32L).containsEntry("accepted", 21L)
          .containsEntry("quarantined", 10L).containsEntry("duplicates", 1L)
          .containsEntry("warning.deaths_add_up", 1L);
      counts.put(dataset, outcome.counts());
    }
    assertThat(counts.get("ged_release_h")).isEqualTo(counts.get("ged_events"));
  }

  @Test
  void aDatasetAddsRulesToItsFormats() throws IOException {
    Map<Long, String> faults = new LinkedHashMap<>();
    Path file = thirtyTwoRecords(faults, "thirty-two-reviewed.csv");
    String id = row(43).get("id");                                       // the 4th record, otherwise good
    var outcome = IngestFixture.outcome(ingest("g32_extra", "ged_reviewed", "ged", file,
        "quality.max-error-rate = 1.0",
        "quality.dataset-rules.ged_reviewed = [ { name = withdrawn_event, level = error, check = \"id <> " + id + "\" } ]"),
        "g32_extra");
    long fourth = 2 + java.util.stream.IntStream.range(40, 43).mapToLong(i -> 1 + row(i).values().stream()
        .mapToLong(v -> v.chars().filter(ch -> ch == '\n').count()).sum()).sum();
    faults.put(fourth, "withdrawn_event");
    assertThat(reasonsByLine("ged_reviewed")).containsExactlyInAnyOrderEntriesOf(faults);
    assertThat(outcome.counts()).containsEntry("accepted", 20L).containsEntry("quarantined", 11L);
  }

  @Test
  void ruleSetsNamingNoFormatNoDatasetOrNoColumnAreConfigurationErrors() throws IOException {
    Path file = write("one.csv", List.of(new ArrayList<>(row(50).values())), StandardCharsets.UTF_8);
    String source = "ingest.sources.one = { dataset = ged_one, format = ged, vintage = \"t1\", files = [\"" + file + "\"] }";
    Map<String, List<String>> cases = Map.of(
        // the old layout, keyed by dataset, must not silently check nothing
        "quality.rules.ged_events = [ { name = r, level = error, check = \"best >= 0\" } ]",
        List.of("quality.rules.ged_events", "a format name", "quality.dataset-rules"),
        "quality.dataset-rules.ged_nowhere = [ { name = r, level = error, check = \"best >= 0\" } ]",
        List.of("quality.dataset-rules.ged_nowhere", "ged_one"),
        "quality.rules.ged = [ { name = typo, level = error, check = \"bestt >= 0 AND year(date_start) > 1900\" } ]",
        List.of("typo", "[bestt]", "quality.rules.ged"),
        "quality.dataset-rules.ged_one = [ { name = typo2, level = warning, check = \"civilians > 0\" } ]",
        List.of("typo2", "[civilians]", "ged_one"),
        "quality.rules.ged = [ { name = broken, level = error, check = \"best >= (\" } ]",
        List.of("quality.rules.ged[0].check", "not a Spark SQL condition"));
    for (var c : cases.entrySet()) {
      assertThatThrownBy(() -> IngestConfig.from(IngestFixture.settings(root(), source, c.getKey()), Set.of("one")))
          .as(c.getKey())
          .isInstanceOfSatisfying(StageFailure.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
            assertThat(e.getMessage()).contains(c.getValue());
          });
    }
  }

  private Map<Long, String> reasonsByLine(String dataset) throws IOException {
    return reasonsByLine(dataset, "t1");
  }

  private Map<Long, String> reasonsByLine(String dataset, String vintage) throws IOException {
    Warehouse w = Warehouse.open(root().toString());
    Map<Long, String> out = new LinkedHashMap<>();
    for (Row r : SparkMarts.read(spark(), w.partition(dataset + "_quarantine", vintage).orElseThrow())
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
    Warehouse w = Warehouse.open(root().toString());
    List<Row> good = SparkMarts.read(spark(), w.partition("ged_events", "t1").orElseThrow()).orderBy("source_line").collectAsList();
    assertThat(good).extracting(r -> r.<Long>getAs("source_line")).containsExactly(2L, 11L, 13L);
    assertThat(good.get(1).<String>getAs("source_headline")).isEqualTo("first line\nsecond line, with a comma");
    Row message = SparkMarts.read(spark(), w.partition("ged_events_quarantine", "t1").orElseThrow())
        .where(col("source_line").equalTo(6L)).first();
    assertThat(message.<String>getAs("message")).isEqualTo("column best: 'many' is not a whole number");
    assertThat(message.<String>getAs("raw")).contains("\"many\"");
  }

  /**
   * A small source is checked once in memory, a large one streamed from its files twice: the same
   * file (faults of every kind, a conflicting and an exact repeat, an unknown country) publishes
   * the same rows, quarantine, unmatched report and counts either way.
   */
  @Test
  void smallAndLargeSourcesPublishTheSame() throws IOException {
    List<List<String>> records = new ArrayList<>();
    records.add(new ArrayList<>(row(0).values()));
    records.add(new ArrayList<>(row(1).values()).subList(0, 30));
    Map<String, String> text = row(4);
    text.put("best", "many");
    records.add(new ArrayList<>(text.values()));
    Map<String, String> unknown = row(6);
    unknown.put("country_id", "999");
    records.add(new ArrayList<>(unknown.values()));
    records.add(new ArrayList<>(row(0).values()));
    Map<String, String> conflicting = row(7);
    conflicting.put("id", row(0).get("id"));
    records.add(new ArrayList<>(conflicting.values()));
    for (int i = 10; i < 20; i++) {
      records.add(new ArrayList<>(row(i).values()));
    }
    Path file = write("both-paths.csv", records, StandardCharsets.UTF_8);
    // without repeats the quarantine comes from the checked rows alone, not also from the marked ones
    Path unrepeated = write("both-paths-unrepeated.csv", records.subList(0, 4), StandardCharsets.UTF_8);
    for (String vintage : List.of("small-unrepeated", "large-unrepeated")) {
      String source = "paths-" + vintage;
      IngestFixture.ingest(spark(), root(), Set.of(source), vintage.startsWith("small") ? Long.MAX_VALUE : 0L,
          "ingest.sources." + source + " = { dataset = t_paths, format = ged, vintage = " + vintage
              + ", files = [\"" + unrepeated + "\"] }", "quality.max-error-rate = 1.0");
    }
    Warehouse wh = Warehouse.open(root().toString());
    assertThat(footerSchema(wh.partition("t_paths_quarantine", "small-unrepeated").orElseThrow()))
        .isEqualTo(footerSchema(wh.partition("t_paths_quarantine", "large-unrepeated").orElseThrow()));
    Map<String, Long> counts = null;
    for (String vintage : List.of("small", "large")) {
      String source = "paths-" + vintage;
      var result = IngestFixture.ingest(spark(), root(), Set.of(source), vintage.equals("small") ? Long.MAX_VALUE : 0L,
          "ingest.sources." + source + " = { dataset = t_paths, format = ged, vintage = " + vintage
              + ", files = [\"" + file + "\"] }", "quality.max-error-rate = 1.0");
      var outcome = IngestFixture.outcome(result, source);
      if (counts == null) {
        counts = outcome.counts();
      } else {
        assertThat(outcome.counts()).isEqualTo(counts);
      }
    }
    assertThat(counts).containsEntry("rows_read", 16L).containsEntry("duplicates", 1L)
        .containsEntry("quarantined", 4L).containsEntry("quarantined.unknown_country", 1L);
    Warehouse w = Warehouse.open(root().toString());
    for (String dataset : List.of("t_paths", "t_paths_quarantine", "t_paths_unmatched")) {
      List<String> small = SparkMarts.read(spark(), w.partition(dataset, "small").orElseThrow())
          .toJSON().collectAsList().stream().sorted().toList();
      List<String> large = SparkMarts.read(spark(), w.partition(dataset, "large").orElseThrow())
          .toJSON().collectAsList().stream().sorted().toList();
      assertThat(small).as(dataset).isNotEmpty().isEqualTo(large);
      // the Parquet schemas too (Spark reads every column back as nullable; the footer says what was
      // written), with Spark's own schema in it: the small path writes without Spark
      assertThat(footerSchema(w.partition(dataset, "small").orElseThrow())).as(dataset)
          .isEqualTo(footerSchema(w.partition(dataset, "large").orElseThrow()));
    }
  }

  private static String footerSchema(Partition partition) throws IOException {
    try (var files = Files.list(Path.of(partition.location()))) {
      Path first = files.filter(f -> f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
      try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(first))) {
        var meta = reader.getFooter().getFileMetaData();
        return meta.getSchema() + "\n" + meta.getKeyValueMetaData().get("org.apache.spark.sql.parquet.row.metadata");
      }
    }
  }

  @Test
  void vintagesOfOneDatasetArePublishedInTheConfiguredOrderWhicheverFinishesFirst() throws IOException {
    // the first source has forty times the rows of the others, which all run at once: without
    // waiting for its turn, it would publish last
    List<List<String>> many = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      many.add(new ArrayList<>(row(i).values()));
    }
    Path big = write("order-big.csv", many, StandardCharsets.UTF_8);
    Path small = write("order-small.csv", many.subList(0, 2), StandardCharsets.UTF_8);
    List<String> sets = new ArrayList<>(List.of("ingest.parallel-sources = 3", "quality.max-error-rate = 1.0"));
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("order-1", big);
    files.put("order-2", small);
    files.put("order-3", small);
    files.forEach((source, file) -> sets.add("ingest.sources." + source + " = { dataset = t_order, format = ged, vintage = v"
        + source.substring(6) + ", files = [\"" + file + "\"] }"));
    IngestFixture.ingest(spark(), root(), files.keySet(), sets.toArray(String[]::new));
    assertThat(Warehouse.open(root().toString()).partitions("t_order")).extracting(Partition::vintage)
        .containsExactly("v1", "v2", "v3");
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
    assertThat(Warehouse.open(root().toString()).partition("t_gate", "t1")).isEmpty();
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
    Warehouse w = Warehouse.open(root().toString());
    Row e = SparkMarts.read(spark(), w.partition("t_latin1", "t1").orElseThrow()).first();
    assertThat(e.<String>getAs("where_description")).isEqualTo("près de Bouaké, Côte d'Ivoire");
  }

  @Test
  void emptyFileIsBadInputNamingIt() throws IOException {
    Path file = root().resolve("empty.csv");
    Files.writeString(file, "");
    assertThatThrownBy(() -> ingest("empty", "t_empty", "ged", file))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          // no header: the file does not match its format, like a wrong header (exit 2), not a gate
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
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
    // not row 30: real GED 23.1 has low > best there (5 > 4), which the format's deaths_ordered rule quarantines
    Path file = write("stable.csv", List.of(new ArrayList<>(row(33).values()), new ArrayList<>(row(31).values())),
        StandardCharsets.UTF_8);
    var first = IngestFixture.outcome(ingest("stable", "t_stable", "ged", file), "stable");
    Path manifest = Path.of(first.partition()).resolve(Warehouse.MANIFEST);
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
