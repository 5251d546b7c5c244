package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.SparkTest;
import org.ewarn.io.SparkMarts;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/**
 * Parquet sources and the VIEWS country-month series on the real bundled files. Expected values
 * were looked up in the raw files by hand: views-countries.parquet has Rwanda as country_id 156
 * (RWA), views-months.parquet has 1994-04 as month_id 172, and that row of the series carries
 * ged_best_os = 433924; id 227 has no lookup row and values for month_id 108 … 318
 * (1988-12 … 2006-06, 211 months); the data README gives 278,627 rows, 74,602 with values.
 */
class ViewsSeriesIngestTest extends SparkTest {
  private static final Path SERIES = IngestFixture.DATA.resolve("ucdp/ged-country-month-views-1989-2021.parquet");
  private static final Path COUNTRIES = IngestFixture.DATA.resolve("ucdp/views-countries.parquet");
  private static final Path MONTHS = IngestFixture.DATA.resolve("ucdp/views-months.parquet");
  private static Path root;
  private static IngestAction.Result bundled;

  private static Path root() throws Exception {
    if (root == null) {
      root = Files.createTempDirectory("ewarn-views");
    }
    return root;
  }

  private IngestAction.Result bundled() throws Exception {
    if (bundled == null) {
      bundled = IngestFixture.ingest(spark(), root(), Set.of("ged-cm-views"));
    }
    return bundled;
  }

  private Dataset<Row> read(String dataset, String vintage) throws Exception {
    Warehouse w = Warehouse.open(root().toString());
    return SparkMarts.read(spark(), w.partition(dataset, vintage).orElseThrow());
  }

  @Test
  void rwandaApril1994OneSidedDeathsArriveUnderItsGleditschWardCode() throws Exception {
    bundled();
    List<Row> rows = read("ucdp_ged_cm", "views-2021.06")
        .where(col("iso3").equalTo("RWA").and(col("year").equalTo(1994)).and(col("month").equalTo(4)))
        .collectAsList();
    assertThat(rows).hasSize(1);
    Row r = rows.get(0);
    assertThat(r.<Integer>getAs("gw_code")).isEqualTo(517);
    assertThat(r.<Integer>getAs("os_deaths")).isEqualTo(433924);
    assertThat(r.<Integer>getAs("month_index")).isEqualTo(1994 * 12 + 3);
    assertThat(r.<Integer>getAs("views_country_id")).isEqualTo(156);
  }

  @Test
  void everyRowIsPublishedOrCountedAsAMonthTheCountryDidNotExist() throws Exception {
    bundled();
    Manifest m = Warehouse.open(root().toString()).partition("ucdp_ged_cm", "views-2021.06").orElseThrow().manifest();
    assertThat(m.count("rows_read")).isEqualTo(278_627L);
    assertThat(m.count("accepted")).isEqualTo(74_602L);
    assertThat(m.count("skipped_absent")).isEqualTo(278_627L - 74_602L);
    assertThat(m.count("quarantined")).isZero();
    assertThat(m.inputs()).extracting(Manifest.InputFile::path)
        .anyMatch(p -> p.endsWith("views-countries.parquet")).anyMatch(p -> p.endsWith("views-months.parquet"));
  }

  @Test
  void idsWithoutALookupRowGetTheirOverride() throws Exception {
    bundled();
    Dataset<Row> cm = read("ucdp_ged_cm", "views-2021.06");
    Row yugoslavia = cm.where(col("views_country_id").equalTo(227))
        .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.min("gw_code"),
            org.apache.spark.sql.functions.max("gw_code"), org.apache.spark.sql.functions.max("year"))
        .first();
    assertThat(yugoslavia.getLong(0)).isEqualTo(211L);
    assertThat(yugoslavia.getInt(1)).isEqualTo(345);
    assertThat(yugoslavia.getInt(2)).isEqualTo(345);
    assertThat(yugoslavia.getInt(3)).isEqualTo(2006);
    assertThat(cm.where(col("views_country_id").equalTo(186)).select("gw_code").distinct().collectAsList())
        .extracting(r -> r.getInt(0)).containsExactly(265);
    assertThat(cm.where(col("country").isNull()).count()).isZero();
    assertThat(cm.where(col("gw_code").isNull()).count()).isZero();
  }

  /**
   * countrycode gives the 21 microstates of the G-W list no G-W code; they get it from the G-W
   * list's own rows (by COW letters or name), not from the COW number, which differs for the
   * Pacific states. Codes as in gleditsch-ward-states.csv.gz.
   */
  @Test
  void microstatesArriveUnderTheirOwnGleditschWardCodes() throws Exception {
    bundled();
    Dataset<Row> cm = read("ucdp_ged_cm", "views-2021.06");
    java.util.Map<String, Integer> expected = new java.util.TreeMap<>(java.util.Map.ofEntries(
        java.util.Map.entry("AND", 232), java.util.Map.entry("MCO", 221), java.util.Map.entry("LIE", 223),
        java.util.Map.entry("SMR", 331), java.util.Map.entry("DMA", 54), java.util.Map.entry("GRD", 55),
        java.util.Map.entry("LCA", 56), java.util.Map.entry("VCT", 57), java.util.Map.entry("ATG", 58),
        java.util.Map.entry("KNA", 60), java.util.Map.entry("STP", 403), java.util.Map.entry("SYC", 591),
        java.util.Map.entry("VUT", 935), java.util.Map.entry("KIR", 970), java.util.Map.entry("NRU", 971),
        java.util.Map.entry("TON", 972), java.util.Map.entry("TUV", 973), java.util.Map.entry("MHL", 983),
        java.util.Map.entry("PLW", 986), java.util.Map.entry("FSM", 987), java.util.Map.entry("WSM", 990)));
    java.util.Map<String, Integer> found = new java.util.TreeMap<>();
    for (Row r : cm.where(col("iso3").isin(expected.keySet().toArray())).select("iso3", "gw_code").distinct()
        .collectAsList()) {
      found.merge(r.getString(0), r.getInt(1), (a, b) -> -1);
    }
    assertThat(found).isEqualTo(expected);
    // the COW codes stay COW's: Kiribati 946, Nauru 970
    assertThat(cm.where(col("iso3").equalTo("KIR")).select("cow_code").distinct().collectAsList())
        .extracting(r -> r.getInt(0)).containsExactly(946);
    assertThat(cm.where(col("iso3").equalTo("NRU")).select("cow_code").distinct().collectAsList())
        .extracting(r -> r.getInt(0)).containsExactly(970);
  }

  /** Rows of the real series for a few VIEWS ids, written as a small Parquet file. */
  private Path subset(String name, Set<Long> ids) throws Exception {
    return parquetFile(spark().read().parquet(SERIES.toString()).where(col("country_id").isin(ids.toArray())),
        root().resolve(name));
  }

  /** {@code rows} as one Parquet file in {@code dir}, as an input file of a source. */
  private static Path parquetFile(Dataset<Row> rows, Path dir) throws IOException {
    rows.coalesce(1).write().option("compression", "zstd").parquet(dir.toString());
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  private static String source(String name, Path file, String format, String overrides) {
    return "ingest.sources." + name + " = { dataset = " + name + ", format = " + format + ", vintage = \"t1\", files = [\""
        + file + "\"], lookups { countries = \"" + COUNTRIES + "\", months = \"" + MONTHS + "\" }"
        + (overrides == null ? "" : ", country-overrides = " + overrides) + " }";
  }

  @Test
  void anIdNeitherLookupNorOverrideKnowsGoesToTheUnmatchedReport() throws Exception {
    Path file = subset("rwanda-and-197", Set.of(156L, 197L));
    IngestAction.Result r = IngestFixture.ingest(spark(), root(), Set.of("views_unmatched"),
        source("views_unmatched", file, "ged-cm-views", "[]"));
    IngestAction.SourceOutcome o = IngestFixture.outcome(r, "views_unmatched");
    // 197 (no lookup row) has values in 18 months (1988-12 ... 1990-05), Rwanda in 391
    assertThat(o.counts().get("quarantined.unknown_country")).isEqualTo(18L);
    assertThat(o.counts().get("accepted")).isEqualTo(391L);
    List<Row> unmatched = read("views_unmatched_unmatched", "t1").collectAsList();
    assertThat(unmatched).hasSize(1);
    assertThat(unmatched.get(0).<String>getAs("code")).isEqualTo("197");
    assertThat(unmatched.get(0).<Long>getAs("rows")).isEqualTo(18L);
    assertThat(unmatched.get(0).<String>getAs("system")).isEqualTo("views");
  }

  @Test
  void aParquetFileOfAnotherFormatStopsWithExitTwoNamingTheColumns() throws Exception {
    assertThatThrownBy(() -> IngestFixture.ingest(spark(), root(), Set.of("views_as_ov"),
            "ingest.sources.views_as_ov = { dataset = views_as_ov, format = ucdp-ov-cy, vintage = \"t1\", files = [\""
                + SERIES + "\"] }"))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains(SERIES.toString(), "missing required columns", "country_id_cy",
              "columns the format does not declare", "ged_best_os", "format = ged-cm-views");
        });
  }

  @Test
  void aParquetFileWithARenamedColumnStopsWithExitTwoNamingBoth() throws Exception {
    StructType schema = new StructType()
        .add("ged_best_sb", DataTypes.DoubleType).add("ged_best_ns", DataTypes.DoubleType)
        .add("ged_best_os", DataTypes.DoubleType).add("ged_count_sb", DataTypes.DoubleType)
        .add("ged_count_ns", DataTypes.DoubleType).add("ged_count_one_sided", DataTypes.DoubleType)
        .add("month_id", DataTypes.LongType).add("country_id", DataTypes.LongType);
    Path file = parquetFile(spark().createDataFrame(
        List.of(RowFactory.create(0.0, 0.0, 3.0, 0.0, 0.0, 1.0, 172L, 156L)), schema), root().resolve("renamed"));
    assertThatThrownBy(() -> IngestFixture.ingest(spark(), root(), Set.of("views_renamed"),
            source("views_renamed", file, "ged-cm-views", null)))
        .isInstanceOfSatisfying(StageFailure.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE_OR_CONFIG);
          assertThat(e.getMessage()).contains(file.toString(), "missing required columns [ged_count_os]",
              "columns the format does not declare [ged_count_one_sided]");
        });
  }
}
