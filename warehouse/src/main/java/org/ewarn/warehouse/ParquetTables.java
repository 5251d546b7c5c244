package org.ewarn.warehouse;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Flat Parquet tables read and written with parquet-hadoop alone, on any store: files carry Spark's
 * row metadata, so Spark reads them as if it had written them, and this reads what Spark wrote.
 * Page checksums are written and verified, so a corrupt page fails instead of decoding to garbage.
 */
final class ParquetTables {
  static final String FILE = "part-00000.zstd.parquet";

  private ParquetTables() {}

  /** Every row of the files, in the order given; the columns are the first file's. */
  static Table read(Storage storage, List<FileStatus> files) throws IOException {
    List<Column> columns = null;
    List<List<Object>> rows = new ArrayList<>();
    for (FileStatus file : files) {
      InputFile input = new StoreInputFile(storage, file);
      MessageType message;
      try (ParquetFileReader meta = ParquetFileReader.open(input)) {
        message = meta.getFooter().getFileMetaData().getSchema();
      }
      List<Column> these = columns(message, file.getPath());
      if (columns == null) {
        columns = these;
      } else if (!columns.equals(these)) {
        throw new IOException(file.getPath().getName() + " has columns " + these + ", the first file " + columns);
      }
      try (ParquetReader<Group> reader = new GroupReaderBuilder(input).usePageChecksumVerification(true).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          Object[] values = new Object[columns.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = g.getFieldRepetitionCount(i) == 0 ? null : value(g, i, message.getType(i).asPrimitiveType());
          }
          rows.add(Arrays.asList(values));
        }
      }
    }
    return new Table(columns == null ? List.of() : columns, rows);
  }

  /** The columns of one file from its footer, and its row count. */
  record Footer(List<Column> columns, long rows) {}

  static Footer footer(Storage storage, FileStatus file) throws IOException {
    try (ParquetFileReader meta = ParquetFileReader.open(new StoreInputFile(storage, file))) {
      return new Footer(columns(meta.getFooter().getFileMetaData().getSchema(), file.getPath()), meta.getRecordCount());
    }
  }

  /** Writes the table as one zstd file that must not exist yet. */
  static void write(Storage storage, Path file, Table table) throws IOException {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (Column c : table.columns()) {
      builder.addField(parquetType(c));
    }
    MessageType message = builder.named("spark_schema");
    SimpleGroupFactory groups = new SimpleGroupFactory(message);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new StoreOutputFile(storage, file))
        .withType(message)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withExtraMetaData(SparkRowMetadata.of(table.columns()))
        .build()) {
      for (List<Object> row : table.rows()) {
        Group g = groups.newGroup();
        for (int i = 0; i < row.size(); i++) {
          if (row.get(i) != null) {
            append(g, i, table.columns().get(i), row.get(i));
          }
        }
        writer.write(g);
      }
    }
  }

  private static List<Column> columns(MessageType message, Path file) throws IOException {
    List<Column> out = new ArrayList<>();
    for (Type t : message.getFields()) {
      if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
        throw new IOException(file.getName() + ": column " + t.getName() + " is not a flat value");
      }
      PrimitiveType p = t.asPrimitiveType();
      boolean date = p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
      Column.Type type = switch (p.getPrimitiveTypeName()) {
        case BOOLEAN -> Column.Type.BOOLEAN;
        case INT32 -> date ? Column.Type.DATE : Column.Type.INT;
        case INT64 -> Column.Type.LONG;
        case FLOAT, DOUBLE -> Column.Type.DOUBLE;
        case BINARY, FIXED_LEN_BYTE_ARRAY -> Column.Type.STRING;
        case INT96 -> throw new IOException(file.getName() + ": column " + t.getName()
            + " is an INT96 timestamp, which small tables do not hold");
      };
      out.add(new Column(t.getName(), type, !t.isRepetition(Type.Repetition.REQUIRED)));
    }
    return out;
  }

  private static Object value(Group g, int i, PrimitiveType type) {
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(i, 0);
      case INT32 -> type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? LocalDate.ofEpochDay(g.getInteger(i, 0))
          : (Object) g.getInteger(i, 0);
      case INT64 -> g.getLong(i, 0);
      case FLOAT -> (double) g.getFloat(i, 0);
      case DOUBLE -> g.getDouble(i, 0);
      default -> g.getString(i, 0);
    };
  }

  private static Type parquetType(Column c) {
    Type.Repetition repetition = c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    return switch (c.type()) {
      case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType()).named(c.name());
      case INT -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(c.name());
      case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(c.name());
      case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name());
      case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name());
      case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType()).named(c.name());
    };
  }

  private static void append(Group g, int i, Column c, Object v) {
    String name = c.name();
    switch (c.type()) {
      case STRING -> g.append(name, v.toString());
      case INT -> g.append(name, ((Number) v).intValue());
      case LONG -> g.append(name, ((Number) v).longValue());
      case DOUBLE -> g.append(name, ((Number) v).doubleValue());
      case BOOLEAN -> g.append(name, (Boolean) v);
      case DATE -> g.append(name, (int) (v instanceof java.sql.Date sql ? sql.toLocalDate() : (LocalDate) v).toEpochDay());
    }
  }

  private static final class GroupReaderBuilder extends ParquetReader.Builder<Group> {
    GroupReaderBuilder(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }

  /** A file read through the storage's own file system instance. */
  private record StoreInputFile(Storage storage, FileStatus status) implements InputFile {
    @Override
    public long getLength() {
      return status.getLen();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return HadoopStreams.wrap(storage.fs.open(status.getPath()));
    }

    @Override
    public String toString() {
      return status.getPath().toString();
    }
  }

  /**
   * A new file written through the storage's file system. No block alignment (like a local file):
   * the bytes equal those the jobs' writer produced before this module.
   */
  private record StoreOutputFile(Storage storage, Path file) implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      if (storage.isLocal()) {
        return local().create(blockSizeHint);
      }
      FSDataOutputStream out = storage.fs.create(file, false);
      return HadoopStreams.wrap(out);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      if (storage.isLocal()) {
        return local().createOrOverwrite(blockSizeHint);
      }
      return HadoopStreams.wrap(storage.fs.create(file, true));
    }

    /** {@link Storage#isLocal()}: java.nio, parent folders created as Hadoop's create does. */
    private org.apache.parquet.io.LocalOutputFile local() throws IOException {
      java.nio.file.Path target = Storage.localPath(file);
      java.nio.file.Files.createDirectories(target.getParent());
      return new org.apache.parquet.io.LocalOutputFile(target);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return file.toString();
    }
  }
}
