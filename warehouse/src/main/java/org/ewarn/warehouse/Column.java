package org.ewarn.warehouse;

/** One column of a flat table: what Spark calls a StructField, without Spark. */
public record Column(String name, Type type, boolean nullable) {
  /** The value types of small tables, each with the Java class its values have. */
  public enum Type {
    STRING("string", String.class),
    INT("integer", Integer.class),
    LONG("long", Long.class),
    DOUBLE("double", Double.class),
    BOOLEAN("boolean", Boolean.class),
    DATE("date", java.time.LocalDate.class);

    /** The type's name in Spark's schema JSON. */
    final String sparkName;
    final Class<?> javaClass;

    Type(String sparkName, Class<?> javaClass) {
      this.sparkName = sparkName;
      this.javaClass = javaClass;
    }
  }

  public Column {
    if (name == null || name.isEmpty() || type == null) {
      throw new IllegalArgumentException("a column needs a name and a type, got " + name + " " + type);
    }
  }

  public static Column of(String name, Type type) {
    return new Column(name, type, true);
  }
}
