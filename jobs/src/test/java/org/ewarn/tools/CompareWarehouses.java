package org.ewarn.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Row-for-row comparison of two warehouses (the "before" and "after" of a performance change):
 * every {@code <dataset>/vintage=<v>/} partition present in either is read with parquet-hadoop,
 * each row rendered canonically (columns by name, exact values), rows sorted, and the two sorted
 * lists compared. Row order within a partition is not part of any contract; row content, the
 * column set and the column types are. Manifests are not compared (they carry run ids and times).
 *
 * <pre>
 *   jobs/bin/compare-warehouses BEFORE_ROOT AFTER_ROOT [dataset-prefix ...]
 * </pre>
 *
 * Exit 0 when every compared partition is identical, 1 otherwise; one line per partition.
 */
public final class CompareWarehouses {
  private CompareWarehouses() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: compare-warehouses BEFORE_ROOT AFTER_ROOT [dataset-prefix ...]");
      System.exit(2);
    }
    Path before = Path.of(args[0]);
    Path after = Path.of(args[1]);
    List<String> prefixes = List.of(args).subList(2, args.length);
    Set<String> partitions = new TreeSet<>();
    partitions.addAll(partitions(before, prefixes));
    partitions.addAll(partitions(after, prefixes));
    int same = 0;
    int different = 0;
    for (String p : partitions) {
      String verdict = compare(before.resolve(p), after.resolve(p));
      if (verdict.startsWith("identical")) {
        same++;
      } else {
        different++;
      }
      System.out.println(p + ": " + verdict);
    }
    System.out.printf("%d partitions identical, %d different%n", same, different);
    System.exit(different == 0 ? 0 : 1);
  }

  /** {@code dataset/vintage=v} of every published partition under {@code root} (staging and state skipped). */
  static List<String> partitions(Path root, List<String> prefixes) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> datasets = Files.list(root)) {
      for (Path d : datasets.sorted().toList()) {
        String name = d.getFileName().toString();
        if (name.startsWith("_") || !Files.isDirectory(d)
            || (!prefixes.isEmpty() && prefixes.stream().noneMatch(name::startsWith))) {
          continue;
        }
        try (Stream<Path> vintages = Files.list(d)) {
          vintages.filter(v -> v.getFileName().toString().startsWith("vintage=") && Files.isDirectory(v))
              .sorted().forEach(v -> out.add(name + "/" + v.getFileName()));
        }
      }
    }
    return out;
  }

  static String compare(Path before, Path after) {
    if (!Files.isDirectory(before)) {
      return "only in after";
    }
    if (!Files.isDirectory(after)) {
      return "only in before";
    }
    Table a = read(before);
    Table b = read(after);
    if (!a.schema.equals(b.schema)) {
      return "different columns: before " + a.schema + ", after " + b.schema;
    }
    if (a.rows.equals(b.rows)) {
      return "identical (" + a.rows.size() + " rows)";
    }
    List<String> onlyBefore = minus(a.rows, b.rows);
    List<String> onlyAfter = minus(b.rows, a.rows);
    StringBuilder s = new StringBuilder("DIFFERENT: " + a.rows.size() + " rows before, " + b.rows.size()
        + " after; " + onlyBefore.size() + " only before, " + onlyAfter.size() + " only after");
    onlyBefore.stream().limit(3).forEach(r -> s.append("\n    - ").append(r));
    onlyAfter.stream().limit(3).forEach(r -> s.append("\n    + ").append(r));
    return s.toString();
  }

  /** Multiset difference of two sorted lists. */
  private static List<String> minus(List<String> a, List<String> b) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    b.forEach(r -> counts.merge(r, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    for (String r : a) {
      Integer n = counts.get(r);
      if (n == null || n == 0) {
        out.add(r);
      } else {
        counts.put(r, n - 1);
      }
    }
    return out;
  }

  private record Table(List<String> schema, List<String> rows) {}

  /** Rows of every Parquet file of a partition, columns in name order, sorted. */
  private static Table read(Path dir) {
    List<String> rows = new ArrayList<>();
    List<String> schema = null;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path f : files) {
      LocalInputFile input = new LocalInputFile(f);
      MessageType message;
      try (ParquetFileReader meta = ParquetFileReader.open(input)) {
        message = meta.getFooter().getFileMetaData().getSchema();
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable " + f, e);
      }
      List<String> names = new ArrayList<>();
      for (Type t : message.getFields()) {
        names.add(t.getName() + " " + t.toString().replace(t.getName(), "").trim());
      }
      Collections.sort(names);
      if (schema == null) {
        schema = names;
      } else if (!schema.equals(names)) {
        throw new IllegalStateException(dir + ": files with different schemas");
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < message.getFieldCount(); i++) {
        order.add(i);
      }
      order.sort((x, y) -> message.getFieldName(x).compareTo(message.getFieldName(y)));
      try (ParquetReader<Group> reader = new Reader(input).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          StringBuilder b = new StringBuilder();
          for (int i : order) {
            b.append(message.getFieldName(i)).append('=');
            int n = g.getFieldRepetitionCount(i);
            if (n == 0) {
              b.append("null");
            } else if (message.getType(i).isPrimitive()) {
              for (int k = 0; k < n; k++) {
                b.append(k == 0 ? "" : ",").append(g.getValueToString(i, k));
              }
            } else {
              for (int k = 0; k < n; k++) {
                b.append(k == 0 ? "" : ",").append(g.getGroup(i, k).toString().replace('\n', ' '));
              }
            }
            b.append("; ");
          }
          rows.add(b.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable " + f, e);
      }
    }
    Collections.sort(rows);
    return new Table(schema == null ? List.of() : schema, rows);
  }

  private static final class Reader extends ParquetReader.Builder<Group> {
    Reader(LocalInputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
