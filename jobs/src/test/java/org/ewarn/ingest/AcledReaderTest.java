package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/**
 * The ACLED reader. ACLED rows may never be committed, so the fixture is built here: real GED
 * events rewritten into ACLED's export columns (the bundled column list) and event taxonomy,
 * with ACLED's "dd MMMM yyyy" dates and ISO numeric country codes.
 */
@org.junit.jupiter.api.Tag("slow")
class AcledReaderTest extends SparkTest {

  @Test
  void acledExportShapedRowsAreTypedAndHarmonised() throws Exception {
    List<String> columns = new ArrayList<>();
    try (var reader = IngestFixture.open(IngestFixture.DATA.resolve("acled/export-columns.csv"), StandardCharsets.UTF_8);
        var parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(reader)) {
      columns.addAll(parser.getHeaderNames());
    }
    List<CSVRecord> taxonomy = IngestFixture.records(IngestFixture.DATA.resolve("acled/event-categories.csv"));
    Map<String, String> isoNumericByGw = new HashMap<>();
    for (CSVRecord c : IngestFixture.records(IngestFixture.DATA.resolve("crosswalks/countrycode-slim.csv.gz"))) {
      if (!c.get("gwn").isEmpty() && !c.get("iso3n").isEmpty()) {
        isoNumericByGw.put(c.get("gwn"), c.get("iso3n"));
      }
    }
    List<CSVRecord> ged = IngestFixture.records(IngestFixture.DATA.resolve("ucdp/ged-23.1-global-sample.csv.gz"));
    DateTimeFormatter acledDate = DateTimeFormatter.ofPattern("dd MMMM yyyy", Locale.ENGLISH);
    Path file = Files.createTempDirectory("acled").resolve("acled-export.csv");
    int written = 0;
    long fatalities = 0;
    try (Writer w = Files.newBufferedWriter(file); CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
      p.printRecord(columns);
      for (CSVRecord e : ged) {
        String iso = isoNumericByGw.get(e.get("country_id"));
        if (iso == null || written == 200) {
          continue;
        }
        CSVRecord type = taxonomy.get(written % taxonomy.size());
        Map<String, String> row = new HashMap<>();
        row.put("event_id_cnty", e.get("relid"));
        row.put("event_date", LocalDate.parse(e.get("date_start").substring(0, 10)).format(acledDate));
        row.put("year", e.get("year"));
        row.put("time_precision", e.get("date_prec").equals("1") ? "1" : "2");
        row.put("disorder_type", "Political violence");
        row.put("event_type", type.get("event_type"));
        row.put("sub_event_type", type.get("sub_event_type"));
        row.put("actor1", e.get("side_a"));
        row.put("actor2", e.get("side_b"));
        row.put("civilian_targeting", e.get("type_of_violence").equals("3") ? "Civilian targeting" : "");
        row.put("iso", iso);
        row.put("region", e.get("region"));
        row.put("country", e.get("country"));
        row.put("admin1", e.get("adm_1"));
        row.put("admin2", e.get("adm_2"));
        row.put("location", e.get("where_coordinates"));
        row.put("latitude", e.get("latitude"));
        row.put("longitude", e.get("longitude"));
        row.put("geo_precision", e.get("where_prec"));
        row.put("source", e.get("source_office"));
        row.put("notes", e.get("source_headline"));
        row.put("fatalities", e.get("best"));
        row.put("timestamp", "1700000000");
        List<String> values = new ArrayList<>();
        columns.forEach(c -> values.add(row.getOrDefault(c, "")));
        p.printRecord(values);
        fatalities += Long.parseLong(e.get("best"));
        written++;
      }
    }
    Path warehouse = Files.createTempDirectory("ewarn-acled");
    var result = IngestFixture.ingest(spark(), warehouse, Set.of("acled"),
        "ingest.sources.acled = { dataset = acled_events, format = acled, vintage = \"fixture\", files = [\"" + file + "\"] }");
    var outcome = IngestFixture.outcome(result, "acled");
    assertThat(outcome.counts()).containsEntry("rows_read", (long) written).containsEntry("quarantined", 0L);
    Warehouse w = Warehouse.open(warehouse.toString());
    var events = SparkMarts.read(spark(), w.partition("acled_events", "fixture").orElseThrow());
    assertThat(events.agg(org.apache.spark.sql.functions.sum("fatalities")).first().getLong(0)).isEqualTo(fatalities);
    Row first = events.orderBy("source_line").first();
    CSVRecord source = ged.stream().filter(e -> e.get("relid").equals(first.<String>getAs("event_id_cnty"))).findFirst().orElseThrow();
    assertThat(first.<java.sql.Date>getAs("event_date").toLocalDate()).isEqualTo(LocalDate.parse(source.get("date_start").substring(0, 10)));
    assertThat(first.<Integer>getAs("gw_code")).isEqualTo(Integer.parseInt(source.get("country_id")));
    assertThat(events.where(col("iso3").isNull()).count()).isZero();
  }
}
