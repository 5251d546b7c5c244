package org.ewarn.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The Spark data source behind {@link DelimitedFiles#records}: one input partition per file, each
 * record turned into an {@link InternalRow} by the plan's {@link DelimitedFiles.RecordShape} on the
 * executor that reads it. Spark's public DataSource V2 API rather than {@code createDataFrame} of
 * external rows, which converted every value twice. Spark instantiates the source by class name,
 * so the plan travels as a serialized option.
 */
public final class DelimitedSource implements TableProvider {
  static final String PLAN = "ewarn.plan";

  /** What to read and how each record becomes a row. */
  record Plan(List<DelimitedFiles.FileLayout> files, DelimitedFiles.RecordShape shape) implements Serializable {}

  public DelimitedSource() {}

  static String encode(Plan plan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  static Plan decode(String text) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
      return (Plan) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("option " + PLAN + " does not hold a read plan", e);
    }
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return decode(options.get(PLAN)).shape().schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new FilesTable(decode(properties.get(PLAN)));
  }

  private record FilesTable(Plan plan) implements Table, SupportsRead {
    @Override
    public String name() {
      return "delimited files (" + plan.files().size() + ")";
    }

    @Override
    public StructType schema() {
      return plan.shape().schema();
    }

    @Override
    public Set<TableCapability> capabilities() {
      return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
      return () -> new FilesScan(plan);
    }
  }

  private record FilesScan(Plan plan) implements Scan, Batch {
    @Override
    public StructType readSchema() {
      return plan.shape().schema();
    }

    @Override
    public String description() {
      return "DelimitedFiles " + plan.files().stream().map(DelimitedFiles.FileLayout::path).toList();
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return plan.files().stream().map(FilePartition::new).toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      return new Readers(plan.shape());
    }
  }

  private record FilePartition(DelimitedFiles.FileLayout layout) implements InputPartition {}

  private record Readers(DelimitedFiles.RecordShape shape) implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      DelimitedFiles.FileLayout layout = ((FilePartition) partition).layout();
      DelimitedFiles.Cursor cursor = DelimitedFiles.cursor(layout);
      UTF8String file = UTF8String.fromString(layout.path());
      return new PartitionReader<>() {
        private InternalRow current;

        @Override
        public boolean next() {
          if (!cursor.next()) {
            return false;
          }
          current = shape.row(layout, file, cursor.line(), cursor.fields());
          return true;
        }

        @Override
        public InternalRow get() {
          return current;
        }

        @Override
        public void close() {
          cursor.close();
        }
      };
    }
  }
}
