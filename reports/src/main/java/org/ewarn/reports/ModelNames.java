package org.ewarn.reports;

import java.util.Locale;

/**
 * Readers see model names, not ids: {@code model.<id>} in each language's labels. An id without a
 * label (a model added after this build) prints as words, "new_model_x" as "New model x", so a
 * page never shows an identifier with underscores.
 */
final class ModelNames {
  private ModelNames() {}

  static String label(String id, Language lang) {
    if (id == null || id.isBlank()) {
      return "–";
    }
    String key = "model." + id;
    if (lang.labels().containsKey(key)) {
      return lang.labels().getString(key);
    }
    String words = id.replace('_', ' ').replace('-', ' ').strip();
    return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
  }

  /** Baselines sort after the models they are the yardstick for. */
  static boolean baseline(String id) {
    return id != null && id.startsWith("baseline_");
  }

  /** Protocol, sample or scope word ({@code protocol.annual}, {@code sample.common}); else as is. */
  static String term(String kind, String value, Language lang) {
    if (value == null) {
      return "";
    }
    if (kind.equals("scope") && value.startsWith("lead_")) {
      return lang.label("scope.lead", value.substring(5));
    }
    String key = kind + "." + value;
    return lang.labels().containsKey(key) ? lang.labels().getString(key) : value;
  }
}
