package org.ewarn.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ewarn.io.DelimitedFiles;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Manifest;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.ExitCode;
import org.ewarn.run.StageFailure;

/**
 * The crosswalk step, before every source: the four crosswalk files ingested like sources, and the
 * tables derived from them ({@code countries}, {@code country_codes}, {@code gw_states}), through
 * which every other source's country codes are harmonised. All are a few hundred rows: the derived
 * tables are built on the driver from the crosswalks' rows and written without a Spark job.
 */
final class CountryCrosswalks {
  private static final StructType GW_STATES = new StructType()
      .add("gw_code", DataTypes.IntegerType).add("gwc", DataTypes.StringType).add("country", DataTypes.StringType)
      .add("start", DataTypes.DateType).add("end", DataTypes.DateType).add("microstate", DataTypes.StringType);
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
    List<Row> countrycode = published("xw_countrycode", v);
    List<Row> gw = published("xw_gw_states", v);
    List<Row> cow = published("xw_cow_states", v);
    List<Row> m49 = published("xw_iso_m49", v);

    List<Manifest.InputFile> files = new ArrayList<>();
    for (IngestConfig.Source s : inputs) {
      files.add(Checksums.describe(s.files().get(0)));
    }
    files.add(Checksums.describe(xw.aliases()));

    List<Row> countries = derived("countries", v, files, locations, Countries.TABLE,
        () -> Countries.table(countrycode, gw, cow, m49, xw.overrides()));
    List<Row> codes = derived("country_codes", v, files, locations, Countries.CODES,
        () -> Countries.codes(countries, aliases(xw.aliases())));
    derived("gw_states", v, files, locations, GW_STATES, () -> gw.stream().map(r -> (Row) new GenericRowWithSchema(
        new Object[] {r.getAs("gwcode"), r.getAs("gwc"), r.getAs("country_name"), r.getAs("start"), r.getAs("end"),
            r.getAs("microstate")}, GW_STATES)).toList());
    // rows in memory, not cached: the sources' broadcast joins of it then need no job to build
    return spark.createDataFrame(codes, Countries.CODES);
  }

  private List<Row> published(String dataset, String vintage) {
    return SparkMarts.rows(warehouse.partition(dataset, vintage).orElseThrow().read());
  }

  private static List<Countries.Alias> aliases(Path file) {
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
    List<Countries.Alias> out = new ArrayList<>();
    for (String[] values : DelimitedFiles.values(new DelimitedFiles.FileLayout(
        file.toString(), "UTF-8", ',', header.length, pos))) {
      Integer code = cowCode(values[0]);
      for (int i = 1; i <= 2; i++) {
        if (code != null && values[i] != null) {
          out.add(new Countries.Alias(code, values[i]));
        }
      }
    }
    return out;
  }

  /** A code as Spark's cast through double reads it ("365", "365.0", " 365 "); null when not a number. */
  private static Integer cowCode(String value) {
    if (value == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(value.strip());
      return Double.isNaN(d) ? null : (int) d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A table derived from the crosswalks, published unless it already is from the same files; its
   * rows. A few hundred rows: built on the driver and written from memory, every column nullable, as
   * rows read back from Parquet, so the published schema is the same whichever run wrote it.
   * {@code locations} receives where it is.
   */
  private List<Row> derived(String dataset, String vintage, List<Manifest.InputFile> inputs,
      Map<String, String> locations, StructType schema, Supplier<List<Row>> build) {
    var existing = warehouse.partition(dataset, vintage);
    if (existing.isPresent() && SourceIngest.sameInputs(existing.get().manifest(), inputs)) {
      locations.put(dataset, existing.get().location());
      return SparkMarts.rows(existing.get().read());
    }
    String started = Instant.now().toString();
    List<Row> rows = build.get();
    Manifest m = new Manifest(dataset, vintage, "ingest", runId, inputs, UPSTREAM, Map.of("rows", (long) rows.size()),
        List.of(), config.codeVersion(), config.configHash(), started, Instant.now().toString(), Map.of());
    locations.put(dataset, Publication.publish(spark, warehouse, dataset, vintage, m, schema, rows).location());
    return rows;
  }

  private static IngestConfig.Source source(String name, String dataset, String format, String vintage, Path file) {
    return new IngestConfig.Source(name, dataset, SourceFormat.named(format), vintage, List.of(file),
        StandardCharsets.UTF_8, ',');
  }
}
