package org.ewarn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

// kept for ingest until it moves onto the module (org.ewarn.warehouse; see warehouse/MIGRATION.md)
/**
 * Flat tables of a few thousand rows read and written with parquet-hadoop alone, so a command
 * whose work fits in memory (the annual back-test of the elastic net) need not start Spark: its
 * start and first queries cost more than the data. Files carry Spark's schema metadata, so Spark
 * reads them exactly as if it had written them.
 */
public final class SmallParquet {
  private static final String SPARK_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";

  private SmallParquet() {}

  /** Every row of the Parquet files in {@code dir} (in file-name order), as rows with a schema. */
  public static List<Row> read(Path dir) {
    List<Row> rows = new ArrayList<>();
    for (Path file : parquetFiles(dir)) {
      LocalInputFile input = new LocalInputFile(file);
      MessageType message;
      try (ParquetFileReader meta = ParquetFileReader.open(input)) {
        message = meta.getFooter().getFileMetaData().getSchema();
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable Parquet file " + file, e);
      }
      StructType schema = schemaOf(message, file);
      try (ParquetReader<Group> reader = new GroupReaderBuilder(input).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          Object[] values = new Object[schema.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = g.getFieldRepetitionCount(i) == 0 ? null : value(g, i, message.getType(i).asPrimitiveType());
          }
          rows.add(new GenericRowWithSchema(values, schema));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable Parquet file " + file, e);
      }
    }
    return rows;
  }

  /** The column names of the Parquet files in {@code dir} (from the first file's footer; none if no file). */
  public static List<String> columns(Path dir) {
    for (Path file : parquetFiles(dir)) {
      try (ParquetFileReader meta = ParquetFileReader.open(new LocalInputFile(file))) {
        return meta.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable Parquet file " + file, e);
      }
    }
    return List.of();
  }

  /** Writes {@code rows} as one zstd Parquet file in {@code dir} (created if needed). */
  public static void write(Path dir, StructType schema, List<Row> rows) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (StructField f : schema.fields()) {
      builder.addField(parquetType(f));
    }
    MessageType message = builder.named("spark_schema");
    SimpleGroupFactory groups = new SimpleGroupFactory(message);
    try {
      Files.createDirectories(dir);
      try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(dir.resolve("part-00000.zstd.parquet")))
          .withType(message)
          .withCompressionCodec(CompressionCodecName.ZSTD)
          .withExtraMetaData(Map.of(SPARK_SCHEMA, schema.json()))
          .build()) {
        for (Row r : rows) {
          Group g = groups.newGroup();
          for (int i = 0; i < schema.size(); i++) {
            if (!r.isNullAt(i)) {
              append(g, i, schema.fields()[i].dataType(), r.get(i));
            }
          }
          writer.write(g);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Parquet in " + dir, e);
    }
  }

  private static List<Path> parquetFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static StructType schemaOf(MessageType message, Path file) {
    StructType schema = new StructType();
    for (Type t : message.getFields()) {
      if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
        throw new IllegalArgumentException(file + ": column " + t.getName() + " is not a flat value");
      }
      PrimitiveType p = t.asPrimitiveType();
      LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
      DataType type = switch (p.getPrimitiveTypeName()) {
        case BOOLEAN -> DataTypes.BooleanType;
        case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
            ? DataTypes.DateType : DataTypes.IntegerType;
        case INT64 -> DataTypes.LongType;
        case FLOAT, DOUBLE -> DataTypes.DoubleType;
        default -> DataTypes.StringType;
      };
      schema = schema.add(t.getName(), type, !t.isRepetition(Type.Repetition.REQUIRED));
    }
    return schema;
  }

  private static Object value(Group g, int i, PrimitiveType type) {
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(i, 0);
      case INT32 -> type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? java.sql.Date.valueOf(LocalDate.ofEpochDay(g.getInteger(i, 0)))
          : (Object) g.getInteger(i, 0);
      case INT64 -> g.getLong(i, 0);
      case FLOAT -> (double) g.getFloat(i, 0);
      case DOUBLE -> g.getDouble(i, 0);
      default -> g.getString(i, 0);
    };
  }

  private static Type parquetType(StructField f) {
    Type.Repetition repetition = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    DataType t = f.dataType();
    if (t.equals(DataTypes.StringType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.BINARY, repetition)
          .as(LogicalTypeAnnotation.stringType()).named(f.name());
    } else if (t.equals(DataTypes.IntegerType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.INT32, repetition).named(f.name());
    } else if (t.equals(DataTypes.LongType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.INT64, repetition).named(f.name());
    } else if (t.equals(DataTypes.DoubleType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.DOUBLE, repetition).named(f.name());
    } else if (t.equals(DataTypes.BooleanType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.BOOLEAN, repetition).named(f.name());
    } else if (t.equals(DataTypes.DateType)) {
      return Types.primitive(PrimitiveType.PrimitiveTypeName.INT32, repetition)
          .as(LogicalTypeAnnotation.dateType()).named(f.name());
    }
    throw new IllegalArgumentException("column " + f.name() + ": no small-Parquet writer for " + t.simpleString());
  }

  private static void append(Group g, int i, DataType t, Object v) {
    if (t.equals(DataTypes.StringType)) {
      g.append(g.getType().getFieldName(i), v.toString());
    } else if (t.equals(DataTypes.IntegerType)) {
      g.append(g.getType().getFieldName(i), ((Number) v).intValue());
    } else if (t.equals(DataTypes.LongType)) {
      g.append(g.getType().getFieldName(i), ((Number) v).longValue());
    } else if (t.equals(DataTypes.DoubleType)) {
      g.append(g.getType().getFieldName(i), ((Number) v).doubleValue());
    } else if (t.equals(DataTypes.BooleanType)) {
      g.append(g.getType().getFieldName(i), (Boolean) v);
    } else {
      LocalDate d = v instanceof java.sql.Date sql ? sql.toLocalDate() : (LocalDate) v;
      g.append(g.getType().getFieldName(i), (int) d.toEpochDay());
    }
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
