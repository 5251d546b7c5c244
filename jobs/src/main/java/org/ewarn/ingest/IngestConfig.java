package org.ewarn.ingest;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ewarn.config.Settings;
import org.ewarn.run.CodeVersion;
import org.ewarn.run.StageFailure;

/** Everything the ingest stage needs, bound once from {@code ingest.*} and {@code quality.*}. */
public record IngestConfig(
    /** {@code warehouse.root}: a plain path on local disk, else a URI ({@code hdfs://…}). */
    String warehouse,
    List<String> nullTokens,
    Crosswalks crosswalks,
    List<Source> sources,
    double maxErrorRate,
    Map<String, Double> maxErrorRateByDataset,
    Map<String, List<QualityRules.Rule>> formatRules,
    Map<String, List<QualityRules.Rule>> datasetRules,
    int parallelSources,
    String configHash,
    String codeVersion) {

  /**
   * One source. {@code lookups}: the files its format names (e.g. the VIEWS country and month
   * tables); {@code countryOverrides}: source codes mapped to a G-W code by hand, where the
   * source's own lookup lacks them or codes them differently; {@code coverage}: which
   * country-months its records are complete for, one of {@link #COVERAGE_KINDS}.
   */
  public record Source(
      String name, String dataset, SourceFormat format, String vintage, List<Path> files,
      Charset encoding, char delimiter, Map<String, Path> lookups, List<CodeOverride> countryOverrides,
      String coverage) {
    public Source {
      // in the format's order, not Map.copyOf's (which varies between JVMs): the manifest lists
      // the lookups after the files in this order
      lookups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lookups));
      countryOverrides = List.copyOf(countryOverrides);
    }

    public Source(String name, String dataset, SourceFormat format, String vintage, List<Path> files,
        Charset encoding, char delimiter) {
      this(name, dataset, format, vintage, files, encoding, delimiter, Map.of(), List.of(), COMPLETE);
    }
  }

  /** Every country over the source's first to last month: a full release (GED, Candidate, ACLED). */
  public static final String COMPLETE = "complete";
  /** Only the countries it has records for, each over its own first to last month: a country extract. */
  public static final String COUNTRIES = "countries";
  /** No country-month: records drawn from the whole (a sample); a month without one is unknown, not calm. */
  public static final String SAMPLE = "sample";
  public static final List<String> COVERAGE_KINDS = List.of(COMPLETE, COUNTRIES, SAMPLE);

  /** A source's country code that means G-W state {@code gw}, and why. */
  public record CodeOverride(String code, int gw, String why) implements java.io.Serializable {}

  public record Crosswalks(
      String vintage, Path countrycode, Path gwStates, Path cowStates, Path isoM49, Path aliases,
      List<Countries.Override> overrides) {}

  public IngestConfig {
    nullTokens = List.copyOf(nullTokens);
    sources = List.copyOf(sources);
    maxErrorRateByDataset = Map.copyOf(maxErrorRateByDataset);
    formatRules = Map.copyOf(formatRules);
    datasetRules = Map.copyOf(datasetRules);
  }

  /** The rules of the source's format, then those its dataset adds. */
  public List<QualityRules.Rule> rules(Source source) {
    List<QualityRules.Rule> out = new ArrayList<>(formatRules.getOrDefault(source.format().name(), List.of()));
    out.addAll(datasetRules.getOrDefault(source.dataset(), List.of()));
    return List.copyOf(out);
  }

  public double maxErrorRate(String dataset) {
    return maxErrorRateByDataset.getOrDefault(dataset, maxErrorRate);
  }

  /** Binds the configuration; {@code only} restricts to some source names (empty = all). */
  public static IngestConfig from(Settings s, Set<String> only) {
    Set<String> names = s.children("ingest.sources");
    for (String wanted : only) {
      if (!names.contains(wanted)) {
        throw StageFailure.config("--source " + wanted + ": no such source in ingest.sources; configured: " + names);
      }
    }
    List<Source> sources = new ArrayList<>();
    for (String name : names) {
      if (!only.isEmpty() && !only.contains(name)) {
        continue;
      }
      String k = "ingest.sources." + SourceFormat.quote(name);
      if (!name.matches("[A-Za-z0-9_.-]+") || name.contains("..")) {
        // the name becomes part of staging folder names: no separators, no '..'
        throw s.problem(k, "a source name of letters, digits, '_', '-' or '.' (no '..'), got '" + name + "'");
      }
      String formatName = s.string(k + ".format");
      SourceFormat format;
      try {
        format = SourceFormat.named(formatName);
      } catch (IllegalArgumentException e) {
        throw s.problem(k + ".format", "one of " + SourceFormat.names() + ", got '" + formatName + "'");
      }
      List<Path> files = new ArrayList<>();
      List<String> listed = s.strings(k + ".files");
      if (listed.isEmpty()) {
        throw s.problem(k + ".files", "at least one input file");
      }
      for (String f : listed) {
        Path p = Path.of(f).isAbsolute() ? Path.of(f) : s.projectHome().resolve(f).normalize();
        if (java.nio.file.Files.isDirectory(p)) {
          // a folder stands for every .csv / .csv.gz / .parquet in it (e.g. monthly UCDP Candidate releases)
          try (var listing = java.nio.file.Files.list(p)) {
            List<Path> inFolder = listing.filter(x -> x.toString().endsWith(".csv") || x.toString().endsWith(".csv.gz")
                    || x.toString().endsWith(".parquet"))
                .sorted().toList();
            if (inFolder.isEmpty()) {
              throw s.problem(k + ".files", "files, or folders holding .csv, .csv.gz or .parquet files, but " + p + " has none");
            }
            files.addAll(inFolder);
          } catch (java.io.IOException e) {
            throw s.problem(k + ".files", "a readable folder, but " + p + ": " + e.getMessage());
          }
        } else if (!java.nio.file.Files.isRegularFile(p)) {
          throw s.problem(k + ".files", "existing files, but " + p + " does not exist");
        } else {
          files.add(p);
        }
      }
      Charset cs;
      String enc = s.has(k + ".encoding") ? s.string(k + ".encoding") : "UTF-8";
      try {
        cs = Charset.forName(enc);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw s.problem(k + ".encoding", "a charset name such as UTF-8 or ISO-8859-1, got '" + enc + "'");
      }
      String delimiter = s.has(k + ".delimiter") ? s.string(k + ".delimiter") : ",";
      if (delimiter.length() != 1) {
        throw s.problem(k + ".delimiter", "one character, got '" + delimiter + "'");
      }
      String dataset = s.string(k + ".dataset");
      if (!dataset.matches("[a-z][a-z0-9_]*")) {
        throw s.problem(k + ".dataset", "a lower-case name of letters, digits and _, got '" + dataset + "'");
      }
      String vintage = s.string(k + ".vintage");
      if (!vintage.matches("[A-Za-z0-9._-]+")) {
        throw s.problem(k + ".vintage", "a label of letters, digits, '.', '_' or '-', got '" + vintage + "'");
      }
      Map<String, Path> lookups = new LinkedHashMap<>();
      for (String l : format.lookups()) {
        if (!s.has(k + ".lookups." + l)) {
          throw s.problem(k + ".lookups." + l, "the " + l + " lookup file format " + format.name()
              + " reads beside its data (" + format.description() + ")");
        }
        lookups.put(l, s.existingPath(k + ".lookups." + l));
      }
      String coverage = s.has(k + ".coverage") ? s.string(k + ".coverage") : COMPLETE;
      if (!COVERAGE_KINDS.contains(coverage)) {
        throw s.problem(k + ".coverage", "one of " + COVERAGE_KINDS + " (which country-months the records are"
            + " complete for), got '" + coverage + "'");
      }
      sources.add(new Source(name, dataset, format, vintage, files, cs, delimiter.charAt(0), lookups,
          codeOverrides(s, k + ".country-overrides"), coverage));
    }
    Crosswalks xw = new Crosswalks(
        s.string("ingest.crosswalks.vintage"),
        s.existingPath("ingest.crosswalks.countrycode"),
        s.existingPath("ingest.crosswalks.gw-states"),
        s.existingPath("ingest.crosswalks.cow-states"),
        s.existingPath("ingest.crosswalks.iso-m49"),
        s.existingPath("ingest.crosswalks.aliases"),
        overrides(s));
    Map<String, Double> byDataset = new LinkedHashMap<>();
    for (String d : s.children("quality.max-error-rate-by-dataset")) {
      byDataset.put(d, s.number("quality.max-error-rate-by-dataset." + d, 0, 1));
    }
    // Rules follow the format; a dataset may add its own. A key naming no format, no configured
    // dataset or a column the rows lack would silently check nothing: refuse it.
    Map<String, List<QualityRules.Rule>> formatRules = new LinkedHashMap<>();
    for (String f : s.children("quality.rules")) {
      if (!SourceFormat.names().contains(f)) {
        throw s.problem("quality.rules." + SourceFormat.quote(f), "a format name (rules follow the format: "
            + "quality.rules.<format>, rules a dataset adds go under quality.dataset-rules.<dataset>); formats: "
            + SourceFormat.names());
      }
      List<QualityRules.Rule> list = rules(s, "quality.rules." + SourceFormat.quote(f));
      SourceFormat format = SourceFormat.named(f);
      if (format.otherColumns() == null) {
        // formats with open-ended columns are checked against each file's header at ingest
        QualityRules.requireColumns(list, checkedColumns(format), "quality.rules." + f);
      }
      formatRules.put(f, list);
    }
    Map<String, List<QualityRules.Rule>> datasetRules = new LinkedHashMap<>();
    Set<String> configuredDatasets = new java.util.TreeSet<>();
    for (String name : names) {
      configuredDatasets.add(s.string("ingest.sources." + SourceFormat.quote(name) + ".dataset"));
    }
    if (s.has("quality.dataset-rules")) {
      for (String d : s.children("quality.dataset-rules")) {
        String key = "quality.dataset-rules." + SourceFormat.quote(d);
        if (!configuredDatasets.contains(d)) {
          throw s.problem(key, "the dataset of a source in ingest.sources; datasets: " + configuredDatasets);
        }
        datasetRules.put(d, rules(s, key));
      }
    }
    for (Source src : sources) {
      List<QualityRules.Rule> own = datasetRules.getOrDefault(src.dataset(), List.of());
      if (!own.isEmpty() && src.format().otherColumns() == null) {
        QualityRules.requireColumns(own, checkedColumns(src.format()),
            "quality.dataset-rules." + src.dataset() + ", source " + src.name() + " of format " + src.format().name());
      }
    }
    return new IngestConfig(
        s.location("warehouse.root"),
        s.strings("ingest.null-tokens"),
        xw,
        sources,
        s.number("quality.max-error-rate", 0, 1),
        byDataset,
        formatRules,
        datasetRules,
        s.integer("ingest.parallel-sources", 1, 16),
        s.hash("ingest", "quality"),
        CodeVersion.of(s.projectHome()));
  }

  private static List<QualityRules.Rule> rules(Settings s, String key) {
    List<QualityRules.Rule> list = new ArrayList<>();
    List<? extends com.typesafe.config.Config> entries;
    try {
      entries = s.raw().getConfigList(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw s.problem(key, "a list of rules { name, level, check } (" + e.getMessage() + ")");
    }
    for (int i = 0; i < entries.size(); i++) {
      var r = entries.get(i);
      String where = key + "[" + i + "]";
      for (String req : List.of("name", "level", "check")) {
        if (!r.hasPath(req)) {
          throw StageFailure.config("configuration key '" + where + "." + req + "' is missing ("
              + r.origin().description() + "): every rule needs name, level (error|warning) and check");
        }
      }
      QualityRules.Level level;
      try {
        level = QualityRules.Level.valueOf(r.getString("level").toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw StageFailure.config("configuration key '" + where + ".level' (" + r.origin().description()
            + "): expected error or warning, got '" + r.getString("level") + "'");
      }
      try {
        QualityRules.columnsRead(r.getString("check"));
      } catch (IllegalArgumentException e) {
        throw StageFailure.config("configuration key '" + where + ".check' (" + r.origin().description()
            + "): " + e.getMessage());
      }
      list.add(new QualityRules.Rule(r.getString("name"), level, r.getString("check"),
          r.hasPath("description") ? r.getString("description") : null));
    }
    return List.copyOf(list);
  }

  /** What a rule may read: the format's columns, as renamed by {@link Countries#harmonise}, and the harmonised codes. */
  static Set<String> checkedColumns(SourceFormat format) {
    Set<String> out = new java.util.TreeSet<>(format.columns().keySet());
    if (format.country() != null) {
      for (String c : Countries.CANONICAL) {
        if (out.remove(c)) {
          out.add("source_" + c);
        }
        out.add(c);
      }
    }
    return out;
  }

  private static List<CodeOverride> codeOverrides(Settings s, String key) {
    List<CodeOverride> out = new ArrayList<>();
    if (!s.has(key)) {
      return out;
    }
    List<? extends com.typesafe.config.Config> list = s.raw().getConfigList(key);
    for (int i = 0; i < list.size(); i++) {
      var o = list.get(i);
      try {
        out.add(new CodeOverride(o.getString("code"), o.getInt("gw"), o.getString("why")));
      } catch (com.typesafe.config.ConfigException e) {
        throw StageFailure.config("configuration key '" + key + "[" + i + "]' (" + o.origin().description()
            + "): expected { code, gw, why }: " + e.getMessage());
      }
    }
    return out;
  }

  private static List<Countries.Override> overrides(Settings s) {
    List<Countries.Override> out = new ArrayList<>();
    List<? extends com.typesafe.config.Config> list = s.raw().getConfigList("ingest.crosswalks.overrides");
    for (int i = 0; i < list.size(); i++) {
      var o = list.get(i);
      try {
        out.add(new Countries.Override(o.getString("iso3"), o.getInt("gw"), o.getInt("cow"), o.getString("why")));
      } catch (com.typesafe.config.ConfigException e) {
        throw StageFailure.config("configuration key 'ingest.crosswalks.overrides[" + i + "]' ("
            + o.origin().description() + "): expected { iso3, gw, cow, why }: " + e.getMessage());
      }
    }
    return out;
  }
}
