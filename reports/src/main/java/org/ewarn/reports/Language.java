package org.ewarn.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;

/** A publication language: its labels bundle, locale, direction and country-name column. */
record Language(String code, Locale locale, boolean rightToLeft, ResourceBundle labels) {

  static final List<String> SUPPORTED = List.of("en", "zh", "fr", "es", "ru", "ar");

  static Language of(String code) {
    String c = code.trim().toLowerCase(Locale.ROOT);
    if (!SUPPORTED.contains(c)) {
      throw RenderFailure.config("unsupported report language '" + code + "': expected one of " + SUPPORTED);
    }
    return new Language(c, numberLocale(c), c.equals("ar"), bundle(c));
  }

  /**
   * Arabic with European digits, as UN Arabic documents print figures. Java's "ar" locale gives
   * Arabic-Indic digits, which the font set sends to Noto Naskh, whose tall line box does not fit
   * a 14 pt table row: JasperReports dropped every risk figure of the Arabic ranking.
   */
  static Locale numberLocale(String code) {
    return Locale.forLanguageTag(code.equals("ar") ? "ar-u-nu-latn" : code);
  }

  /** The labels file itself, without fallback to the JVM's default locale. */
  static ResourceBundle bundle(String code) {
    String name = "/org/ewarn/reports/labels" + (code.equals("en") ? "" : "_" + code) + ".properties";
    try (InputStream in = Language.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("labels bundle " + name + " is missing from the classpath");
      }
      PropertyResourceBundle own = new PropertyResourceBundle(new InputStreamReader(in, StandardCharsets.UTF_8));
      if (code.equals("en")) {
        return own;
      }
      // Keys a translation lacks fall back to English rather than failing the fill.
      return new ResourceBundle() {
        private final ResourceBundle english = bundle("en");

        @Override
        protected Object handleGetObject(String key) {
          return own.containsKey(key) ? own.getObject(key) : english.getObject(key);
        }

        @Override
        public java.util.Enumeration<String> getKeys() {
          return english.getKeys();
        }

        @Override
        public Locale getLocale() {
          return Locale.forLanguageTag(code);
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String label(String key, Object... args) {
    String pattern = labels.getString(key);
    if (args.length == 0) {
      return pattern;
    }
    Object[] values = args;
    if (rightToLeft) {
      // Each argument is a run of its own: numbers, ranges, dates and Latin terms keep their
      // order inside the right-to-left sentence (see isolate).
      values = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        String text = a instanceof Number n ? java.text.NumberFormat.getInstance(locale).format(n) : String.valueOf(a);
        values[i] = isolate(text);
      }
    }
    // Labels are prose: an apostrophe (l'État) is text, not MessageFormat's quote character.
    return new MessageFormat(pattern.replace("'", "''"), locale).format(values);
  }

  /** Left-to-right mark: a strong left-to-right character of zero width. */
  static final char LRM = '\u200E';

  /**
   * A number, range, percentage, date or Latin term inside right-to-left text, bracketed by
   * left-to-right marks so it is laid out left to right: in an Arabic sentence the bidi algorithm
   * makes European digits after Arabic letters Arabic numbers, so "0–10.00%" printed as
   * "%10.00–0" and the date 2026-11-26 as 26-11-2026. Marks rather than isolates (U+2066…): the
   * PDF text layout knows the marks. Text with right-to-left letters, and every left-to-right
   * language, is returned as is.
   */
  String isolate(String text) {
    if (!rightToLeft || text == null || text.isEmpty() || hasRightToLeft(text)) {
      return text;
    }
    return LRM + text + LRM;
  }

  /** "6.53%" ("6,53 %" in French) without the marks, to isolate with what surrounds it. */
  String percentText(String number) {
    return labels.getString("unit.percent").replace("{0}", number);
  }

  static boolean hasRightToLeft(String text) {
    return text.codePoints().anyMatch(c -> {
      byte d = Character.getDirectionality(c);
      return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    });
  }

  /**
   * UNTERM short names carry the article in parentheses ("Afghanistan (l')", "Afganistán (el)"),
   * which is right for a term base but wrong in a table or a list.
   */
  String withoutTrailingArticle(String name) {
    return name.replaceFirst("\\s*\\((the|l'|l’|le|la|les|el|los|las)\\)$", "");
  }

  /**
   * Column of the {@code countries} mart with this language's names. English uses the UN term
   * ({@code name_un_en}, from the same M49 list as the other languages) where the mart has it:
   * the canonical {@code country} is countrycode's CLDR name ("Congo - Kinshasa", "Myanmar
   * (Burma)"), not what a UN report prints.
   */
  String nameColumn() {
    return code.equals("en") ? "name_un_en" : "name_" + code;
  }
}
