package org.ewarn.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.ewarn.io.DelimitedFiles;
import org.ewarn.run.StageFailure;

/**
 * The read-and-check step of one source: its files parsed and typed, its country codes
 * harmonised through the crosswalk, its quality rules applied. Lazy: nothing runs until the
 * publish step asks for rows, except the count of VIEWS non-records.
 */
final class SourceChecks {
  private SourceChecks() {}

  /**
   * One row per record read, {@link Typing#REASON} set on the rejected ones; {@code absent} records
   * were not records at all (VIEWS rows with no value), already left out.
   */
  record Checked(Dataset<Row> rows, List<QualityRules.Rule> rules, long absent, Column countryCode) {
    Checked {
      rules = List.copyOf(rules);
    }
  }

  /**
   * @param hold whether the source is held in memory: then its typed rows are cached for the
   *     count of non-records and the passes after it (added to {@code cached}, unpersisted by the caller)
   */
  static Checked read(SparkSession spark, IngestConfig config, IngestConfig.Source source, Dataset<Row> codes,
      boolean hold, List<Dataset<Row>> cached) {
    Map<Path, String[]> headers = new LinkedHashMap<>();
    for (Path f : source.files()) {
      headers.put(f, DelimitedFiles.header(f, source.encoding(), source.delimiter()));
    }
    ColumnPlan plan = ColumnPlan.of(source.name(), source.format(), headers);
    List<DelimitedFiles.FileLayout> layouts = new ArrayList<>();
    for (Path f : source.files()) {
      layouts.add(new DelimitedFiles.FileLayout(f.toString(), source.encoding().name(),
          source.delimiter(), plan.headerCounts().get(f), plan.positions().get(f)));
    }
    Dataset<Row> rows = DelimitedFiles.records(spark, layouts,
        Typing.shape(plan.columns(), source.format().notNull(), config.nullTokens()));
    long absent = 0;
    if (!source.format().absentWhenNull().isEmpty()) {
      Column none = col(Typing.REASON).isNull();
      for (String c : source.format().absentWhenNull()) {
        none = none.and(col(c).isNull());
      }
      // one more pass over the typed rows, only for the formats that write non-records (VIEWS);
      // a held source's rows are parsed once for it and the passes below
      if (hold) {
        rows = rows.cache();
        cached.add(rows);
      }
      absent = rows.where(none).count();
      rows = rows.where(not(none));
    }
    Dataset<Row> sourceCodes = codes;
    if (source.format().country() != null && source.format().country().system().equals(ViewsLookups.SYSTEM)) {
      rows = ViewsLookups.withMonths(rows, lookupTable(spark, source, "months", "month_id", "year", "month"));
      sourceCodes = codes.unionByName(ViewsLookups.codes(spark,
          lookupTable(spark, source, "countries", "country_id", "isoab"), codes, source.countryOverrides()));
    }
    if (source.format().country() != null) {
      rows = Countries.harmonise(rows, source.format().country(), sourceCodes);
    }
    List<QualityRules.Rule> rules = config.rules(source);
    QualityRules.requireColumns(rules, List.of(rows.columns()),
        "format " + source.format().name() + ", dataset " + source.dataset() + ", source " + source.name());
    Dataset<Row> checked = Typing.withRawForRejected(QualityRules.apply(rows, rules));
    Column countryCode = source.format().country() == null ? lit(null).cast("string") : col("_country_code");
    return new Checked(checked, rules, absent, countryCode);
  }

  /** A lookup file of the source as a table of text columns (the columns it must have). */
  private static Dataset<Row> lookupTable(SparkSession spark, IngestConfig.Source source, String lookup,
      String... columns) {
    Path file = source.lookups().get(lookup);
    String[] header = DelimitedFiles.header(file, source.encoding(), source.delimiter());
    List<String> names = header == null ? List.of() : Arrays.stream(header).map(SourceFormat::normalise).toList();
    int[] pos = Arrays.stream(columns).mapToInt(names::indexOf).toArray();
    List<String> missing = Arrays.stream(columns).filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw StageFailure.config("lookup " + file + " (ingest.sources." + source.name() + ".lookups." + lookup
          + ") lacks columns " + missing + "; it has " + names);
    }
    Dataset<Row> raw = DelimitedFiles.records(spark, List.of(new DelimitedFiles.FileLayout(
        file.toString(), source.encoding().name(), source.delimiter(), header.length, pos)), DelimitedFiles.RAW);
    Column[] out = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = col("values").getItem(i).as(columns[i]);
    }
    return raw.select(out);
  }

  /** The published columns of a source's clean rows, in its format's order. */
  static Column[] outputColumns(IngestConfig.Source source, Dataset<Row> validated) {
    Set<String> present = new HashSet<>(List.of(validated.columns()));
    List<Column> out = new ArrayList<>();
    if (!source.format().published().isEmpty()) {
      source.format().published().forEach((name, from) ->
          out.add(col(present.contains("source_" + from) ? "source_" + from : from).as(name)));
      Countries.CANONICAL.forEach(c -> out.add(col(c)));
      out.add(col("source_file"));
      out.add(col("source_line"));
      return out.toArray(Column[]::new);
    }
    Map<String, DataType> order = source.format().conformTo() != null
        ? SourceFormat.named(source.format().conformTo()).columns()
        : source.format().columns();
    Set<String> done = new HashSet<>();
    for (Map.Entry<String, DataType> e : order.entrySet()) {
      // a source column named like a canonical key was renamed source_<name> by harmonisation
      String name = present.contains("source_" + e.getKey()) ? "source_" + e.getKey()
          : present.contains(e.getKey()) ? e.getKey() : null;
      if (name != null) {
        out.add(col(name));
        done.add(name);
      } else {
        // a column of the newer schema this older file lacks: typed null, so vintages union cleanly
        out.add(lit(null).cast(e.getValue()).as(e.getKey()));
        done.add(e.getKey());
      }
    }
    for (String c : validated.columns()) {
      if (!done.contains(c) && !c.startsWith("_") && !c.equals("source_file") && !c.equals("source_line")
          && !Countries.CANONICAL.contains(c)) {
        out.add(col(c));
      }
    }
    if (source.format().country() != null) {
      Countries.CANONICAL.forEach(c -> out.add(col(c)));
    }
    out.add(col("source_file"));
    out.add(col("source_line"));
    return out.toArray(Column[]::new);
  }
}
