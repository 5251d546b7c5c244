package org.ewarn.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ewarn.run.SparkProfile;
import org.ewarn.run.StageFailure;

/**
 * The layered HOCON configuration: {@code conf/ewarn.conf} (the defaults, which run on the bundled
 * data), then an optional {@code --conf FILE}, then {@code --set key=value} overrides. Each stage
 * binds its own section to a record once, through the typed readers here, so every error names the
 * key, the file and line it came from and what was expected.
 */
public final class Settings {
  /**
   * Sections whose children are user-defined names (a new source, a new model): an override may
   * add keys there that the defaults do not have.
   */
  private static final List<String> OPEN_SECTIONS =
      List.of("ingest.sources", "quality.rules", "quality.dataset-rules", "quality.max-error-rate-by-dataset", "models.baselines", "spark.conf");

  private final Config config;
  private final Path home;

  private Settings(Config config, Path home) {
    this.config = config;
    this.home = home;
  }

  /** The project home holds {@code conf/}; relative paths in the configuration resolve here. */
  public static Path home() {
    String fromEnv = System.getenv("EWARN_HOME");
    String fromProperty = System.getProperty("ewarn.home");
    String chosen = fromProperty != null ? fromProperty : fromEnv;
    Path start = chosen != null ? Path.of(chosen) : Path.of("").toAbsolutePath();
    // Tests and exec:java run from a module directory: walk up to the folder that has conf/.
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("conf/ewarn.conf"))) {
        return p;
      }
    }
    throw StageFailure.config(
        "cannot find conf/ewarn.conf above "
            + start.toAbsolutePath()
            + "; run from the project folder or set EWARN_HOME to it");
  }

  public static Settings load(Path home, Path overrideFile, List<String> sets) {
    Path defaultsFile = home.resolve("conf/ewarn.conf");
    Config defaults = parse(defaultsFile);
    Config merged = defaults;
    if (overrideFile != null) {
      if (!Files.isRegularFile(overrideFile)) {
        throw StageFailure.config(
            "--conf " + overrideFile + ": no such file (expected a HOCON file, e.g. conf/ewarn.conf)");
      }
      Config over = parse(overrideFile);
      rejectUnknownKeys(over, defaults, overrideFile.toString());
      merged = over.withFallback(merged);
    }
    for (String set : sets == null ? List.<String>of() : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw StageFailure.config(
            "--set " + set + ": expected key=value, e.g. --set ingest.vintage-override=23.1");
      }
      String key = set.substring(0, eq).trim();
      String raw = set.substring(eq + 1).trim();
      Config one;
      try {
        one = ConfigFactory.parseString(key + " = " + raw,
            ConfigParseOptions.defaults().setOriginDescription("--set " + key));
      } catch (ConfigException e) {
        one = ConfigFactory.empty("--set " + key)
            .withValue(key, ConfigValueFactory.fromAnyRef(raw, "--set " + key));
      }
      rejectUnknownKeys(one, defaults, "--set");
      merged = one.withFallback(merged);
    }
    try {
      Config resolved = merged.resolve();
      resolved.checkValid(defaults.resolve());
      return new Settings(resolved, home);
    } catch (ConfigException.ValidationFailed e) {
      StringBuilder msg = new StringBuilder("configuration is not valid:");
      e.problems().forEach(p -> msg.append("\n  ").append(p.path()).append(" (")
          .append(p.origin().description()).append("): ").append(p.problem()));
      throw StageFailure.config(msg.toString());
    } catch (ConfigException e) {
      throw StageFailure.config("configuration: " + e.getMessage());
    }
  }

  private static Config parse(Path file) {
    try {
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw StageFailure.config("cannot read configuration " + file + ": " + e.getMessage());
    }
  }

  private static void rejectUnknownKeys(Config over, Config defaults, String where) {
    for (Map.Entry<String, ConfigValue> e : over.entrySet()) {
      String key = e.getKey();
      if (defaults.hasPathOrNull(key) || inOpenSection(key)) {
        continue;
      }
      ConfigOrigin origin = e.getValue().origin();
      String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
      Set<String> known = new TreeSet<>();
      if (parent.isEmpty()) {
        known.addAll(defaults.root().keySet());
      } else if (defaults.hasPath(parent)) {
        try {
          known.addAll(defaults.getObject(parent).keySet());
        } catch (ConfigException.WrongType ignored) {
          // parent is a leaf in the defaults; nothing below it is known
        }
      }
      throw StageFailure.config(
          "unknown configuration key '"
              + key
              + "' in "
              + describe(origin, where)
              + (known.isEmpty() ? "" : "; expected one of " + known + (parent.isEmpty() ? "" : " under '" + parent + "'")));
    }
  }

  private static boolean inOpenSection(String key) {
    return OPEN_SECTIONS.stream().anyMatch(s -> key.startsWith(s + "."));
  }

  private static String describe(ConfigOrigin origin, String fallback) {
    if (origin == null) {
      return fallback;
    }
    return origin.lineNumber() > 0
        ? origin.description().replaceAll(": \\d+$", "") + " line " + origin.lineNumber()
        : origin.description();
  }

  /** The same settings with one key set to a string (a value the configuration did not give). */
  public Settings with(String key, String value) {
    return new Settings(config.withValue(key, ConfigValueFactory.fromAnyRef(value)), home);
  }

  public Config raw() {
    return config;
  }

  public Path projectHome() {
    return home;
  }

  /** Hash of the resolved configuration; manifests record it so a changed setting reruns a stage. */
  public String hash(String... sections) {
    StringBuilder canonical = new StringBuilder();
    for (String s : sections.length == 0 ? new String[] {""} : sections) {
      Config part = s.isEmpty() ? config : config.hasPath(s) ? config.getConfig(s) : ConfigFactory.empty();
      canonical.append(s).append('=')
          .append(part.root().render(ConfigRenderOptions.concise().setJson(true)));
    }
    return org.ewarn.warehouse.Checksums.sha256(canonical.toString());
  }

  // ---- typed readers: each failure names key, origin and expectation ----

  public String string(String key) {
    return read(key, "a string", () -> config.getString(key));
  }

  public int integer(String key, int min, int max) {
    int v = read(key, "a whole number", () -> config.getInt(key));
    if (v < min || v > max) {
      throw problem(key, "a whole number from " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  public long longValue(String key, long min) {
    long v = read(key, "a whole number", () -> config.getLong(key));
    if (v < min) {
      throw problem(key, "a whole number ≥ " + min + ", got " + v);
    }
    return v;
  }

  public double number(String key, double min, double max) {
    double v = read(key, "a number", () -> config.getDouble(key));
    if (v < min || v > max || Double.isNaN(v)) {
      throw problem(key, "a number from " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  public boolean flag(String key) {
    return read(key, "true or false", () -> config.getBoolean(key));
  }

  public List<String> strings(String key) {
    return read(key, "a list of strings", () -> List.copyOf(config.getStringList(key)));
  }

  public List<Integer> integers(String key) {
    return read(key, "a list of whole numbers", () -> List.copyOf(config.getIntList(key)));
  }

  public List<Double> numbers(String key) {
    return read(key, "a list of numbers", () -> List.copyOf(config.getDoubleList(key)));
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public Set<String> children(String key) {
    return read(key, "a section of named entries", () -> new TreeSet<>(config.getObject(key).keySet()));
  }

  /**
   * Keys naming folders the pipeline writes into. A {@code ..} in one is refused: after
   * normalisation it would put outputs somewhere other than the folder the key reads as (and
   * retention deletes old runs under these roots).
   */
  static final java.util.Set<String> WRITTEN_ROOTS = java.util.Set.of("warehouse.root", "output.root",
      "nightly.state-dir", "backtest.output-dir", "export.root", "forecast.models-dir");

  /** A path; relative ones resolve against the project home, not the working directory. */
  public Path path(String key) {
    String s = string(key);
    Path p = Path.of(s);
    if (WRITTEN_ROOTS.contains(key)) {
      for (Path element : p) {
        if (element.toString().equals("..")) {
          throw problem(key, "a folder to write into without '..' (it would escape where the key points), got '" + s + "'");
        }
      }
    }
    return p.isAbsolute() ? p : home.resolve(p).normalize();
  }

  /**
   * A folder setting that may live on any Hadoop file system: a URI ({@code hdfs://nn:8020/ewarn/wh},
   * {@code s3a://bucket/wh}, {@code file:/x}) as given, a local path resolved as {@link #path} does.
   * What {@code Storage.open} and {@code Warehouse.open} take.
   */
  public String location(String key) {
    String value = string(key);
    return isUri(value) ? value : path(key).toString();
  }

  /** {@code hdfs://x} and {@code file:/x} are URIs; {@code data/wh} and {@code /data/wh} are paths. */
  public static boolean isUri(String value) {
    return value.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*");
  }

  /** A path that must already exist (an input), with a message naming the key if it does not. */
  public Path existingPath(String key) {
    Path p = path(key);
    if (!Files.exists(p)) {
      throw problem(key, "an existing file or folder, but " + p + " does not exist");
    }
    return p;
  }

  public <E extends Enum<E>> E choice(String key, Class<E> type) {
    String v = string(key);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase().replace('_', '-'));
    }
    throw problem(key, "one of " + allowed + ", got '" + v + "'");
  }

  /** The Spark profile named by {@code spark.profile}, checked to exist, with the {@code spark.conf} overrides. */
  public SparkProfile sparkProfile() {
    String name = string("spark.profile");
    Path file = home.resolve("conf/spark/" + name + ".properties");
    if (!Files.isRegularFile(file)) {
      throw problem("spark.profile",
          "the name of a file in conf/spark/ (without .properties), but " + file + " does not exist");
    }
    Map<String, String> overrides = new java.util.TreeMap<>();
    if (has("spark.conf")) {
      config.getConfig("spark.conf").entrySet()
          .forEach(e -> overrides.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    }
    return new SparkProfile(name, file, overrides);
  }

  public StageFailure problem(String key, String expected) {
    String where = config.hasPathOrNull(key) ? describe(config.getValue(key).origin(), "--set") : "defaults";
    return StageFailure.config("configuration key '" + key + "' (" + where + "): expected " + expected);
  }

  private <T> T read(String key, String expected, java.util.function.Supplier<T> reader) {
    try {
      return reader.get();
    } catch (ConfigException.Missing e) {
      throw StageFailure.config("configuration key '" + key + "' is missing: expected " + expected);
    } catch (ConfigException.WrongType e) {
      throw problem(key, expected + " (" + e.getMessage() + ")");
    } catch (ConfigException e) {
      throw problem(key, expected + " (" + e.getMessage() + ")");
    }
  }
}
