package org.ewarn.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes one mart partition the way the Spark stages publish it (Parquet plus
 * {@code _MANIFEST.json}), so reader and renderer are tested against the real layout.
 */
final class ParquetFixture {
  enum Kind { STRING, INT, LONG, DOUBLE, BOOLEAN }

  private final Map<String, Kind> columns = new LinkedHashMap<>();
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<Map<String, Object>> inputs = new ArrayList<>();

  ParquetFixture column(String name, Kind kind) {
    columns.put(name, kind);
    return this;
  }

  ParquetFixture row(Map<String, Object> row) {
    rows.add(row);
    return this;
  }

  ParquetFixture property(String key, String value) {
    properties.put(key, value);
    return this;
  }

  ParquetFixture input(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      inputs.add(Map.of("path", file.toString(), "bytes", (long) bytes.length,
          "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  List<Map<String, Object>> rows() {
    return rows;
  }

  Path publish(Path warehouse, String dataset, String vintage, String stage, String finished) {
    Path dir = warehouse.resolve(dataset).resolve("vintage=" + vintage);
    try {
      Files.createDirectories(dir);
      Types.MessageTypeBuilder b = Types.buildMessage();
      columns.forEach((name, kind) -> {
        switch (kind) {
          case STRING -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
          case INT -> b.optional(PrimitiveTypeName.INT32).named(name);
          case LONG -> b.optional(PrimitiveTypeName.INT64).named(name);
          case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(name);
          case BOOLEAN -> b.optional(PrimitiveTypeName.BOOLEAN).named(name);
        }
      });
      MessageType schema = b.named("spark_schema");
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      if (!rows.isEmpty() || columns.size() > 0) {
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(
            new LocalOutputFile(dir.resolve("part-00000.snappy.parquet"))).withType(schema).build()) {
          for (Map<String, Object> row : rows) {
            Group g = groups.newGroup();
            for (Map.Entry<String, Kind> c : columns.entrySet()) {
              Object v = row.get(c.getKey());
              if (v == null || (v instanceof Double d && d.isNaN())) {
                continue;
              }
              switch (c.getValue()) {
                case STRING -> g.append(c.getKey(), v.toString());
                case INT -> g.append(c.getKey(), ((Number) v).intValue());
                case LONG -> g.append(c.getKey(), ((Number) v).longValue());
                case DOUBLE -> g.append(c.getKey(), ((Number) v).doubleValue());
                case BOOLEAN -> g.append(c.getKey(), (Boolean) v);
              }
            }
            w.write(g);
          }
        }
      }
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("dataset", dataset);
      manifest.put("vintage", vintage);
      manifest.put("stage", stage);
      manifest.put("run_id", "fixture-" + stage + "-" + vintage);
      manifest.put("inputs", inputs);
      manifest.put("counts", Map.of("rows", (long) rows.size()));
      manifest.put("code_version", "fixture");
      manifest.put("config_hash", "0".repeat(64));
      manifest.put("started", finished);
      manifest.put("finished", finished);
      manifest.put("properties", properties);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(dir.resolve("_MANIFEST.json").toFile(), manifest);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
