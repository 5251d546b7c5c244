package org.ewarn.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads published mart partitions straight from Parquet with parquet-hadoop (no Spark): the layout
 * {@code <root>/<dataset>/vintage=<label>/*.parquet} plus {@code _MANIFEST.json}; a folder without a
 * manifest is not published and is ignored.
 *
 * <p>It reads either the live warehouse (each mart's latest partition is the one whose manifest
 * finished last) or one run's view of it ({@link MartSource}): a mart the run produced is read at
 * the partitions the run names, and any other partition exists only if it finished by the run's
 * time. A render reading one run's view never mixes the marts of two runs, however many partitions
 * a nightly run publishes while it renders.
 */
final class MartReader {
  static final String MANIFEST = "_MANIFEST.json";

  private final Path root;
  /** dataset → the vintages the run names; null for the live warehouse. */
  private final Map<String, Set<String>> pinned;
  private final Instant asOf;
  private final String label;

  MartReader(Path warehouseRoot) {
    this(warehouseRoot, null, null, null);
  }

  private MartReader(Path warehouseRoot, Map<String, Set<String>> pinned, Instant asOf, String label) {
    this.root = warehouseRoot.toAbsolutePath().normalize();
    this.pinned = pinned;
    this.asOf = asOf;
    this.label = label;
  }

  /**
   * The reader a render uses: the live warehouse, or the view of the run {@code source} names
   * ({@code <outputRoot>/latest.json} for {@link MartSource.Kind#LAST_RUN}, read once, now).
   */
  static MartReader open(Path warehouseRoot, Path outputRoot, MartSource source) {
    return switch (source.kind()) {
      case LIVE -> new MartReader(warehouseRoot);
      case RUN -> ofRun(warehouseRoot, source.outputs(), source.asOf(), source.label());
      case LAST_RUN -> {
        Path file = outputRoot.resolve(LATEST_POINTER);
        if (!Files.isRegularFile(file)) {
          yield new MartReader(warehouseRoot);
        }
        JsonNode pointer;
        try {
          pointer = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
          throw RenderFailure.data("unreadable " + file + ": " + e.getMessage()
              + "; it says which run's marts to render (or set reports.marts = live)");
        }
        String runId = pointer.path("run_id").asText("");
        Instant published;
        try {
          published = Instant.parse(pointer.path("published").asText(""));
        } catch (java.time.format.DateTimeParseException e) {
          throw RenderFailure.data(file + " has no valid \"published\" time: '" + pointer.path("published").asText("")
              + "'");
        }
        Map<String, String> outputs = new TreeMap<>();
        pointer.path("outputs").properties().forEach(e -> outputs.put(e.getKey(), e.getValue().asText()));
        yield ofRun(warehouseRoot, outputs, published, "run " + runId + " (" + file + ")");
      }
    };
  }

  /** {@code <output.root>/latest.json}: the last complete run of the nightly and its outputs. */
  static final String LATEST_POINTER = "latest.json";

  private static MartReader ofRun(Path warehouseRoot, Map<String, String> outputs, Instant asOf, String label) {
    Path root = warehouseRoot.toAbsolutePath().normalize();
    Map<String, Set<String>> pinned = new TreeMap<>();
    for (String location : outputs.values()) {
      Optional<String[]> dv = partitionAt(root, location);
      if (dv.isEmpty()) {
        continue;
      }
      pinned.computeIfAbsent(dv.get()[0], d -> new LinkedHashSet<>()).add(dv.get()[1]);
    }
    pinned.replaceAll((d, v) -> Set.copyOf(v));
    return new MartReader(root, Map.copyOf(pinned), asOf, label);
  }

  /** {dataset, vintage} of a partition folder of this warehouse given as a path or file: URI. */
  private static Optional<String[]> partitionAt(Path root, String location) {
    if (location == null || location.isBlank()) {
      return Optional.empty();
    }
    Path p;
    try {
      p = location.startsWith("file:") ? Path.of(java.net.URI.create(location))
          : location.contains("://") ? null : Path.of(location);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (p == null) {
      return Optional.empty();
    }
    p = p.toAbsolutePath().normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      return Optional.empty();
    }
    Path rel = root.relativize(p);
    String vintage = rel.getNameCount() == 2 ? rel.getName(1).toString() : "";
    return vintage.startsWith("vintage=") && vintage.length() > "vintage=".length()
        ? Optional.of(new String[] {rel.getName(0).toString(), vintage.substring("vintage=".length())})
        : Optional.empty();
  }

  Path root() {
    return root;
  }

  /** Where this reader reads, for messages: the warehouse, and the run whose view it is. */
  String describe() {
    return label == null ? root.toString() : root + " as of " + label;
  }

  /** The marts the run names, by dataset (empty for the live warehouse). */
  Map<String, Set<String>> pinned() {
    return pinned == null ? Map.of() : pinned;
  }

  /**
   * The latest partition: of a mart the run names, the last finished of the partitions it names;
   * otherwise the partition whose manifest finished last (by the run's time). Empty if the mart was
   * never published (or not yet, for the run).
   */
  Optional<Mart> latest(String dataset) {
    return latestDir(dataset).map(dir -> read(dataset, dir));
  }

  Optional<Mart> vintage(String dataset, String vintage) {
    Path dir = root.resolve(dataset).resolve("vintage=" + vintage);
    return Files.isRegularFile(dir.resolve(MANIFEST)) && visible(dataset, vintage, dir)
        ? Optional.of(read(dataset, dir))
        : Optional.empty();
  }

  Optional<PartitionManifest> manifest(String dataset, String vintage) {
    Path dir = root.resolve(dataset).resolve("vintage=" + vintage);
    return Files.isRegularFile(dir.resolve(MANIFEST)) && visible(dataset, vintage, dir)
        ? Optional.of(PartitionManifest.read(dir.resolve(MANIFEST)))
        : Optional.empty();
  }

  /** The manifest of the {@linkplain #latest latest} partition, without reading its rows. */
  Optional<PartitionManifest> latestManifest(String dataset) {
    return latestDir(dataset).map(dir -> PartitionManifest.read(dir.resolve(MANIFEST)));
  }

  /**
   * Of {@code datasets}, those with a partition finished after this run's view (published by hand
   * after the last nightly, say), as "dataset/vintage=v"; empty for the live warehouse. A render
   * of the last run does not read them, and says so.
   */
  List<String> newerThanView(java.util.Collection<String> datasets) {
    if (pinned == null) {
      return List.of();
    }
    MartReader live = new MartReader(root);
    List<String> out = new ArrayList<>();
    for (String dataset : new java.util.TreeSet<>(datasets)) {
      Optional<Path> newest = live.latestDir(dataset);
      Optional<Path> seen = latestDir(dataset);
      if (newest.isPresent() && !newest.equals(seen)) {
        out.add(dataset + "/" + newest.get().getFileName());
      }
    }
    return out;
  }

  /** Whether a published partition exists in this reader's view. */
  private boolean visible(String dataset, String vintage, Path dir) {
    if (pinned == null) {
      return true;
    }
    Set<String> named = pinned.get(dataset);
    if (named != null && named.contains(vintage)) {
      return true;
    }
    return !finishedAt(PartitionManifest.read(dir.resolve(MANIFEST))).isAfter(asOf);
  }

  /** A manifest without a readable finish time (written before it was recorded) counts as old. */
  private static Instant finishedAt(PartitionManifest m) {
    try {
      return m.finished() == null || m.finished().isBlank() ? Instant.MIN : Instant.parse(m.finished());
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.MIN;
    }
  }

  /** Manifests of every published partition of the dataset, oldest first. */
  List<PartitionManifest> manifests(String dataset) {
    List<PartitionManifest> out = new ArrayList<>();
    for (Path dir : published(dataset)) {
      out.add(PartitionManifest.read(dir.resolve("_MANIFEST.json")));
    }
    out.sort(Comparator.comparing(PartitionManifest::finished));
    return out;
  }

  private Optional<Path> latestDir(String dataset) {
    Set<String> named = pinned == null ? null : pinned.get(dataset);
    if (named != null) {
      // A partition the run names must exist: reading another one instead would mix runs.
      for (String v : named) {
        Path dir = root.resolve(dataset).resolve("vintage=" + v);
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
          throw RenderFailure.data(label + " names " + dataset + "/vintage=" + v + " as published, but "
              + dir + " has no " + MANIFEST + " (was it deleted?)");
        }
      }
    }
    return published(dataset).stream()
        .filter(d -> named == null || named.contains(d.getFileName().toString().substring("vintage=".length())))
        .max(Comparator.comparing((Path d) -> PartitionManifest.read(d.resolve("_MANIFEST.json")).finished())
            .thenComparing(Path::toString));
  }

  private List<Path> published(String dataset) {
    Path dir = root.resolve(dataset);
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, "vintage=*")) {
      for (Path child : children) {
        if (Files.isRegularFile(child.resolve(MANIFEST))
            && visible(dataset, child.getFileName().toString().substring("vintage=".length()), child)) {
          out.add(child);
        }
      }
    } catch (IOException e) {
      throw RenderFailure.io("cannot list mart folder " + dir, e);
    }
    return out;
  }

  /** Parquet files of the partition in name order, so row order is stable between runs. */
  static List<Path> parquetFiles(Path partition) {
    try (Stream<Path> files = Files.list(partition)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw RenderFailure.io("cannot list " + partition, e);
    }
  }

  private Mart read(String dataset, Path dir) {
    PartitionManifest manifest = PartitionManifest.read(dir.resolve("_MANIFEST.json"));
    String vintage = dir.getFileName().toString().substring("vintage=".length());
    Set<String> columns = new LinkedHashSet<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Path file : parquetFiles(dir)) {
      LocalInputFile input = new LocalInputFile(file);
      try (ParquetFileReader meta = ParquetFileReader.open(input)) {
        meta.getFooter().getFileMetaData().getSchema().getFields()
            .forEach(f -> columns.add(f.getName()));
      } catch (IOException e) {
        throw RenderFailure.io("unreadable Parquet file " + file + " of mart " + dataset, e);
      }
      try (ParquetReader<Group> reader = new GroupReaderBuilder(input).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          rows.add(toMap(g));
        }
      } catch (IOException e) {
        throw RenderFailure.io("unreadable Parquet file " + file + " of mart " + dataset, e);
      }
    }
    return new Mart(dataset, vintage, manifest, columns, rows);
  }

  private static Map<String, Object> toMap(Group g) {
    GroupType type = g.getType();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      if (g.getFieldRepetitionCount(i) == 0 || !field.isPrimitive()) {
        row.put(field.getName(), null);
        continue;
      }
      row.put(field.getName(), value(g, i, field.asPrimitiveType()));
    }
    return row;
  }

  private static Object value(Group g, int i, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(i, 0);
      case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? java.time.LocalDate.ofEpochDay(g.getInteger(i, 0))
          : (Object) g.getInteger(i, 0);
      case INT64 -> g.getLong(i, 0);
      case FLOAT -> (double) g.getFloat(i, 0);
      case DOUBLE -> g.getDouble(i, 0);
      case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getString(i, 0);
      default -> g.getValueToString(i, 0);
    };
  }

  private static final class GroupReaderBuilder extends ParquetReader.Builder<Group> {
    GroupReaderBuilder(LocalInputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
