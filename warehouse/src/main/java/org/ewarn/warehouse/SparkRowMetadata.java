package org.ewarn.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Spark's schema in a Parquet footer ({@code org.apache.spark.sql.parquet.row.metadata}): with it
 * Spark reads a file this module wrote with exactly the types and nullability Spark would have
 * written, e.g. a date as DateType, not as an int with an annotation.
 */
final class SparkRowMetadata {
  static final String KEY = "org.apache.spark.sql.parquet.row.metadata";

  // compact, fields in Spark's order: StructType.json() prints exactly this
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private SparkRowMetadata() {}

  static Map<String, String> of(List<Column> columns) {
    ObjectNode struct = COMPACT.createObjectNode();
    struct.put("type", "struct");
    ArrayNode fields = struct.putArray("fields");
    for (Column c : columns) {
      ObjectNode f = fields.addObject();
      f.put("name", c.name());
      f.put("type", c.type().sparkName);
      f.put("nullable", c.nullable());
      f.putObject("metadata");
    }
    try {
      return Map.of(KEY, COMPACT.writeValueAsString(struct));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
