package org.ewarn.reports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 */
final class MartReader {
  private final Path root;

  MartReader(Path warehouseRoot) {
    this.root = warehouseRoot.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** The partition whose manifest finished last, or empty if the mart was never published. */
  Optional<Mart> latest(String dataset) {
    return latestDir(dataset).map(dir -> read(dataset, dir));
  }

  Optional<Mart> vintage(String dataset, String vintage) {
    Path dir = root.resolve(dataset).resolve("vintage=" + vintage);
    return Files.isRegularFile(dir.resolve("_MANIFEST.json"))
        ? Optional.of(read(dataset, dir))
        : Optional.empty();
  }

  Optional<PartitionManifest> manifest(String dataset, String vintage) {
    Path file = root.resolve(dataset).resolve("vintage=" + vintage).resolve("_MANIFEST.json");
    return Files.isRegularFile(file) ? Optional.of(PartitionManifest.read(file)) : Optional.empty();
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
    return published(dataset).stream()
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
        if (Files.isRegularFile(child.resolve("_MANIFEST.json"))) {
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
