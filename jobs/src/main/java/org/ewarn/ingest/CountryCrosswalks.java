package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.ewarn.io.DelimitedFiles;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

/**
 * The crosswalk step, before every source: the four crosswalk files ingested like sources, and the
 * tables derived from them ({@code countries}, {@code country_codes}, {@code gw_states}), through
 * which every other source's country codes are harmonised. All are a few hundred rows: derived
 * tables are built by Spark, collected and written without a Spark write job each.
 */
final class CountryCrosswalks {
  private static final List<String> UPSTREAM = List.of("xw_countrycode", "xw_gw_states", "xw_cow_states", "xw_iso_m49");

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final IngestConfig config;
  private final String runId;

  CountryCrosswalks(SparkSession spark, Warehouse warehouse, IngestConfig config, String runId) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.config = config;
    this.runId = runId;
  }

  /** The crosswalk files as sources of their own: each ingested before any other source. */
  List<IngestConfig.Source> sources() {
    IngestConfig.Crosswalks xw = config.crosswalks();
    String v = xw.vintage();
    return List.of(
        source("crosswalk-countrycode", "xw_countrycode", "countrycode", v, xw.countrycode()),
        source("crosswalk-gw-states", "xw_gw_states", "gw-states", v, xw.gwStates()),
        source("crosswalk-cow-states", "xw_cow_states", "cow-states", v, xw.cowStates()),
        source("crosswalk-iso-m49", "xw_iso_m49", "iso-m49", v, xw.isoM49()));
  }

  /**
   * Ingests the crosswalks with {@code ingestAll} (independent of each other: side by side) and
   * derives the country tables; {@code locations} receives where each derived table is.
   *
   * @return {@code country_codes}: one row per (system, code) with the canonical keys
   */
  Dataset<Row> load(Function<List<IngestConfig.Source>, List<IngestAction.SourceOutcome>> ingestAll,
      Map<String, String> locations) {
    IngestConfig.Crosswalks xw = config.crosswalks();
    String v = xw.vintage();
    List<IngestConfig.Source> inputs = sources();
    List<IngestAction.SourceOutcome> loaded = ingestAll.apply(inputs);
    for (int i = 0; i < inputs.size(); i++) {
      IngestAction.SourceOutcome o = loaded.get(i);
      if (!o.status().equals("published") && !o.status().equals("unchanged")) {
        throw new StageFailure(ExitCode.QUALITY_GATE,
            "crosswalk " + inputs.get(i).files().get(0) + " failed its checks: " + o.warnings());
      }
    }
    Dataset<Row> countrycode = published("xw_countrycode", v);
    Dataset<Row> gw = published("xw_gw_states", v);
    Dataset<Row> cow = published("xw_cow_states", v);
    Dataset<Row> m49 = published("xw_iso_m49", v);

    List<Manifest.InputFile> files = new ArrayList<>();
    for (IngestConfig.Source s : inputs) {
      files.add(Checksums.describe(s.files().get(0)));
    }
    files.add(Checksums.describe(xw.aliases()));

    Dataset<Row> countries = derived("countries", v, files, locations,
        () -> Countries.table(countrycode, gw, cow, m49, xw.overrides()));
    Dataset<Row> aliases = aliases(xw.aliases());
    Dataset<Row> codes = derived("country_codes", v, files, locations, () -> Countries.codes(countries, aliases));
    derived("gw_states", v, files, locations, () -> gw.select(col("gwcode").as("gw_code"), col("gwc"),
        col("country_name").as("country"), col("start"), col("end"), col("microstate")));
    // rows in memory, not cached: the sources' broadcast joins of it then need no job to build
    return codes;
  }

  private Dataset<Row> published(String dataset, String vintage) {
    return inMemory(warehouse.partition(dataset, vintage).orElseThrow());
  }

  /** A few hundred rows: in memory, as Spark reads them. */
  private Dataset<Row> inMemory(Partition p) {
    return SmallTables.read(spark, p);
  }

  private Dataset<Row> aliases(Path file) {
    // EWP's own spellings (ewp_name) let name-keyed sources and external forecasts match.
    String[] header = DelimitedFiles.header(file, StandardCharsets.UTF_8, ',');
    List<String> names = new ArrayList<>();
    for (String h : header) {
      names.add(SourceFormat.normalise(h));
    }
    int[] pos = {names.indexOf("ccode"), names.indexOf("country"), names.indexOf("ewp_name")};
    if (pos[0] < 0) {
      throw StageFailure.config("ingest.crosswalks.aliases: " + file + " needs a ccode column");
    }
    Dataset<Row> raw = DelimitedFiles.records(spark, List.of(new DelimitedFiles.FileLayout(
        file.toString(), "UTF-8", ',', header.length, pos)), DelimitedFiles.RAW);
    Column code = col("values").getItem(0).try_cast("double").cast("int");
    return raw.select(code.as("cow_code"), col("values").getItem(1).as("alias"))
        .unionByName(raw.select(code.as("cow_code"), col("values").getItem(2).as("alias")))
        .where(col("alias").isNotNull().and(col("cow_code").isNotNull()));
  }

  /**
   * A table derived from the crosswalks, published unless it already is from the same files. A
   * few hundred rows: collected once, written from memory and read from there; every column
   * nullable, as rows read back from Parquet, so the published schema is the same whichever run
   * wrote it. {@code locations} receives where it is.
   */
  private Dataset<Row> derived(String dataset, String vintage, List<Manifest.InputFile> inputs,
      Map<String, String> locations, Supplier<Dataset<Row>> build) {
    var existing = warehouse.partition(dataset, vintage);
    if (existing.isPresent() && SourceIngest.sameInputs(existing.get().manifest(), inputs)) {
      locations.put(dataset, existing.get().location());
      return inMemory(existing.get());
    }
    String started = Instant.now().toString();
    Dataset<Row> built = build.get();
    StructType schema = Publication.nullable(built.schema());
    List<Row> rows = built.collectAsList();
    Manifest m = new Manifest(dataset, vintage, "ingest", runId, inputs, UPSTREAM, Map.of("rows", (long) rows.size()),
        List.of(), config.codeVersion(), config.configHash(), started, Instant.now().toString(), Map.of());
    locations.put(dataset, Publication.publish(spark, warehouse, dataset, vintage, m, schema, rows).location());
    return spark.createDataFrame(rows, schema);
  }

  private static IngestConfig.Source source(String name, String dataset, String format, String vintage, Path file) {
    return new IngestConfig.Source(name, dataset, SourceFormat.named(format), vintage, List.of(file),
        StandardCharsets.UTF_8, ',');
  }
}
