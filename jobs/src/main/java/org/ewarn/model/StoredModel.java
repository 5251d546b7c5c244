package org.ewarn.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata file every saved model carries ({@code model.json}) and the one way to reload a
 * model: the file names the fitted class, whose static {@code load(Path)} rebuilds it. Any
 * {@link FittedRiskModel} that follows the convention (write this file in {@code save}, offer
 * {@code static load(Path)}) reloads through {@link #load}, whoever wrote it.
 */
public final class StoredModel {
  public static final String FILE = "model.json";
  static final String CLASS_KEY = "fitted_class";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private StoredModel() {}

  public static void writeMetadata(Path dir, FittedRiskModel model, Map<String, String> extra) {
    Map<String, String> all = new TreeMap<>(model.metadata());
    all.putAll(extra);
    all.put(CLASS_KEY, model.getClass().getName());
    all.put("model", model.modelId());
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve(FILE).toFile(), all);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  /** Saves the model in its own format and the metadata file that makes it reloadable. */
  public static void save(FittedRiskModel model, Path dir, Map<String, String> extra) {
    model.save(dir);
    writeMetadata(dir, model, extra);
  }

  public static Map<String, String> readMetadata(Path dir) {
    try {
      return JSON.readValue(dir.resolve(FILE).toFile(), new TypeReference<TreeMap<String, String>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read saved model metadata " + dir.resolve(FILE), e);
    }
  }

  public static FittedRiskModel load(Path dir) {
    String className = readMetadata(dir).get(CLASS_KEY);
    if (className == null) {
      throw new IllegalArgumentException(dir.resolve(FILE) + " does not name the fitted model class (" + CLASS_KEY + ")");
    }
    try {
      Object loaded = Class.forName(className).getMethod("load", Path.class).invoke(null, dir);
      return (FittedRiskModel) loaded;
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot reload " + className + " from " + dir
          + ": the class needs a public static load(java.nio.file.Path)", e);
    }
  }
}
