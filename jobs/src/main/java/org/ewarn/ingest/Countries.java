package org.ewarn.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Country harmonisation. Sources key countries by Gleditsch-Ward, COW, ISO3, ISO numeric, PITF
 * letters or plain names; {@link #codes} folds the crosswalks into one lookup and
 * {@link #harmonise} gives every record the canonical gw_code, cow_code, iso3 and country.
 */
public final class Countries {
  public static final List<String> CANONICAL = List.of("gw_code", "cow_code", "iso3", "country");

  private Countries() {}

  /** A correction of the crosswalk for one ISO3 country, with the reason shown in the config. */
  public record Override(String iso3, int gw, int cow, String why) implements java.io.Serializable {}

  /** Lower case, no accents, punctuation as single spaces: "Côte d'Ivoire" → "cote d ivoire". */
  public static String nameKey(String name) {
    if (name == null) {
      return null;
    }
    String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    s = s.toLowerCase(Locale.ROOT).replace("&", " and ").replaceAll("[^a-z0-9]+", " ").strip();
    return s.isEmpty() ? null : s;
  }

  static final UserDefinedFunction NAME_KEY =
      udf((UDF1<String, String>) Countries::nameKey, DataTypes.StringType).withName("name_key");

  /** Columns of the {@code countries} table, in order; every column nullable, as read back. */
  static final StructType TABLE = new StructType()
      .add("gw_code", DataTypes.IntegerType).add("cow_code", DataTypes.IntegerType)
      .add("iso3", DataTypes.StringType).add("iso3n", DataTypes.IntegerType)
      .add("country", DataTypes.StringType).add("region", DataTypes.StringType)
      .add("cowc", DataTypes.StringType).add("p5c", DataTypes.StringType)
      .add("name_zh", DataTypes.StringType).add("name_fr", DataTypes.StringType)
      .add("name_es", DataTypes.StringType).add("name_ru", DataTypes.StringType)
      .add("name_ar", DataTypes.StringType).add("name_un_en", DataTypes.StringType);

  /** Columns of the {@code country_codes} lookup, in order. */
  static final StructType CODES = new StructType()
      .add("system", DataTypes.StringType).add("code", DataTypes.StringType)
      .add("gw_code", DataTypes.IntegerType).add("cow_code", DataTypes.IntegerType)
      .add("iso3", DataTypes.StringType).add("country", DataTypes.StringType);

  /** One row of the countries table while it is built. */
  private static final class Country {
    Integer gw;
    Integer cow;
    String iso3;
    Integer iso3n;
    String country;
    String region;
    String cowc;
    String p5c;

    Country(Integer gw, Integer cow, String iso3, Integer iso3n, String country, String region, String cowc,
        String p5c) {
      this.gw = gw;
      this.cow = cow;
      this.iso3 = iso3;
      this.iso3n = iso3n;
      this.country = country;
      this.region = region;
      this.cowc = cowc;
      this.p5c = p5c;
    }
  }

  /** A state's latest entry in a membership list (G-W or COW): its name and letters then. */
  private record Latest(Object start, String name, String letters) {}

  /**
   * The {@code countries} table ({@link #TABLE}), one row per country of the countrycode crosswalk
   * plus the states of the G-W and COW lists it lacks (historical codes such as 265 German
   * Democratic Republic), with names in the six UN languages where ISO/M49 has them. Built on the
   * driver from the crosswalks' rows (a few hundred each): as Spark queries, the joins and windows
   * of these tables cost about 10 s of a cold ingest before the first source could start.
   */
  static List<Row> table(List<Row> countrycode, List<Row> gwStates, List<Row> cowStates, List<Row> isoM49,
      List<Override> overrides) {
    List<Country> current = new ArrayList<>();
    for (Row r : countrycode) {
      Integer gw = r.getAs("gwn");
      Integer cow = r.getAs("cown");
      String iso3 = r.getAs("iso3c");
      for (Override o : overrides) {
        // the last override naming a country wins, as the chained corrections always did
        if (o.iso3().equals(iso3)) {
          gw = o.gw();
          cow = o.cow();
        }
      }
      current.add(new Country(gw, cow, iso3, r.getAs("iso3n"), r.getAs("country_name_en"),
          r.getAs("un_region_name"), r.getAs("cowc"), r.getAs("p5c")));
    }
    withGwFromStateList(current, gwStates, cowStates);

    Map<Integer, Latest> gwNames = latestEntries(gwStates, "gwcode", "gwc");
    Map<Integer, Latest> cowNames = latestEntries(cowStates, "cowcode", "cowc");
    // Historical G-W states missing from the current crosswalk keep the same number in COW when
    // COW has it (both lists number the same polity alike in these cases: 265, 315, 680, 817…).
    Set<Integer> currentGw = new HashSet<>();
    current.forEach(c -> currentGw.add(c.gw));
    List<Country> all = new ArrayList<>(current);
    gwNames.forEach((gw, latest) -> {
      if (!currentGw.contains(gw)) {
        Latest cow = cowNames.get(gw);
        String letters = cow != null && cow.letters() != null ? cow.letters() : latest.letters();
        all.add(new Country(gw, cow == null ? null : gw, null, null, latest.name(), null, letters, letters));
      }
    });
    Set<Integer> knownCow = new HashSet<>();
    all.forEach(c -> knownCow.add(c.cow));
    cowNames.forEach((cow, latest) -> {
      if (!knownCow.contains(cow)) {
        all.add(new Country(gwNames.containsKey(cow) ? cow : null, cow, null, null, latest.name(), null,
            latest.letters(), latest.letters()));
      }
    });

    Map<String, String[]> names = new HashMap<>();
    for (Row r : isoM49) {
      String iso3 = r.getAs("iso3166_1_alpha_3");
      if (iso3 != null && !names.containsKey(iso3)) {
        // the short UN term is empty for a few countries (e.g. Türkiye in Chinese): fall back to
        // the formal term, then the official name
        names.put(iso3, new String[] {
            localized(r, "chinese", "cn"), localized(r, "french", "fr"), localized(r, "spanish", "es"),
            localized(r, "russian", "ru"), localized(r, "arabic", "ar"), r.getAs("unterm_english_short")});
      }
    }
    List<Row> out = new ArrayList<>(all.size());
    String[] none = new String[6];
    for (Country c : all) {
      String[] n = c.iso3 == null ? none : names.getOrDefault(c.iso3, none);
      out.add(new GenericRowWithSchema(new Object[] {c.gw, c.cow, c.iso3, c.iso3n, c.country, c.region, c.cowc, c.p5c,
          n[0], n[1], n[2], n[3], n[4], n[5]}, TABLE));
    }
    return out;
  }

  /** Per code of a membership list, the name and letters of its latest entry (by start date). */
  private static Map<Integer, Latest> latestEntries(List<Row> states, String codeColumn, String lettersColumn) {
    Map<Integer, Latest> out = new TreeMap<>();
    for (Row r : states) {
      Integer code = r.getAs(codeColumn);
      Object start = r.getAs("start");
      if (code == null || start == null) {
        continue;
      }
      Latest seen = out.get(code);
      if (seen == null || compare(start, seen.start()) > 0) {
        out.put(code, new Latest(start, r.getAs("country_name"), r.getAs(lettersColumn)));
      }
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /**
   * countrycode leaves the G-W code empty for the microstates the G-W list has (232 Andorra,
   * 221 Monaco, 970 Kiribati, the Caribbean and Pacific island states): without it their records
   * have no panel row. Such a row gets the code of the G-W state that no other row claims and that
   * has the row's COW letters (G-W reuses COW's abbreviations: AND, MNC, SNM …) or its name,
   * provided its G-W membership overlaps the row's COW membership; only a one-to-one match counts.
   * Not the COW number: for four Pacific states it differs (COW 946 Kiribati, 970 Nauru, 955 Tonga,
   * 947 Tuvalu; G-W 970, 971, 972, 973), and COW 970 would give Nauru the code of Kiribati.
   */
  private static void withGwFromStateList(List<Country> crosswalk, List<Row> gwStates, List<Row> cowStates) {
    Set<Integer> claimed = new HashSet<>();
    crosswalk.stream().filter(c -> c.gw != null).forEach(c -> claimed.add(c.gw));
    // each COW state's whole membership: its first start and last end
    Map<Integer, Object[]> cowMembership = new HashMap<>();
    for (Row r : cowStates) {
      Integer cow = r.getAs("cowcode");
      if (cow == null) {
        continue;
      }
      Object[] span = cowMembership.computeIfAbsent(cow, k -> new Object[2]);
      Object start = r.getAs("start");
      Object end = r.getAs("end");
      if (start != null && (span[0] == null || compare(start, span[0]) < 0)) {
        span[0] = start;
      }
      if (end != null && (span[1] == null || compare(end, span[1]) > 0)) {
        span[1] = end;
      }
    }
    // the G-W list's entries no crosswalk row claims, with their name keys
    record Unclaimed(int gw, String letters, String name, Object start, Object end) {}
    List<Unclaimed> unclaimed = new ArrayList<>();
    for (Row s : gwStates) {
      Integer gw = s.getAs("gwcode");
      if (gw != null && !claimed.contains(gw)) {
        unclaimed.add(new Unclaimed(gw, s.getAs("gwc"), nameKey(s.getAs("country_name")), s.getAs("start"),
            s.getAs("end")));
      }
    }
    Map<String, Set<Integer>> byRow = new LinkedHashMap<>();
    Map<Integer, Set<String>> byState = new HashMap<>();
    for (Country c : crosswalk) {
      if (c.gw != null || c.country == null) {
        continue;
      }
      String name = nameKey(c.country);
      Object[] span = c.cow == null ? null : cowMembership.get(c.cow);
      for (Unclaimed s : unclaimed) {
        boolean sameState = (c.cowc != null && c.cowc.equals(s.letters())) || (name != null && name.equals(s.name()));
        boolean overlaps = span == null || span[0] == null
            || (span[1] != null && s.start() != null && s.end() != null
                && compare(s.start(), span[1]) <= 0 && compare(s.end(), span[0]) >= 0);
        if (sameState && overlaps) {
          byRow.computeIfAbsent(c.country, k -> new HashSet<>()).add(s.gw());
          byState.computeIfAbsent(s.gw(), k -> new HashSet<>()).add(c.country);
        }
      }
    }
    for (Country c : crosswalk) {
      Set<Integer> states = c.gw == null && c.country != null ? byRow.get(c.country) : null;
      if (states != null && states.size() == 1) {
        Integer gw = states.iterator().next();
        if (byState.get(gw).size() == 1) {
          c.gw = gw;
        }
      }
    }
  }

  private static String localized(Row r, String language, String code) {
    List<String> have = List.of(r.schema().fieldNames());
    for (String c : List.of("unterm_" + language + "_short", "unterm_" + language + "_formal", "official_name_" + code)) {
      if (have.contains(c)) {
        String v = r.getAs(c);
        // Spark's trim, which these names were once filtered with, strips spaces only
        if (v != null && !v.chars().allMatch(ch -> ch == ' ')) {
          return v;
        }
      }
    }
    return null;
  }

  /** A name of a country from the aliases file: EWP's own spellings, keyed by COW code. */
  record Alias(int cow, String alias) {}

  /**
   * The lookup every join uses ({@link #CODES}): (system, code) → canonical keys. Systems: gw, cow,
   * iso3, iso3n, pitf (PITF/Polity letters, then COW letters), name (name keys of every English
   * spelling the crosswalks have). Where two countries claim a code, the current crosswalk row
   * (one with an ISO code) wins.
   */
  static List<Row> codes(List<Row> countries, List<Alias> extraNames) {
    record Keyed(String system, String code, Row country, int priority) {}
    List<Keyed> all = new ArrayList<>();
    Map<Integer, List<Row>> byCow = new HashMap<>();
    for (Row c : countries) {
      Integer gw = c.getAs("gw_code");
      Integer cow = c.getAs("cow_code");
      Integer isoN = c.getAs("iso3n");
      all.add(new Keyed("gw", gw == null ? null : gw.toString(), c, 0));
      all.add(new Keyed("cow", cow == null ? null : cow.toString(), c, 0));
      all.add(new Keyed("iso3", upperCase(c.getAs("iso3")), c, 0));
      all.add(new Keyed("iso3n", isoN == null ? null : isoN.toString(), c, 0));
      all.add(new Keyed("pitf", upperCase(c.getAs("p5c")), c, 0));
      all.add(new Keyed("pitf", upperCase(c.getAs("cowc")), c, 1));
      all.add(new Keyed("name", nameKey(c.getAs("country")), c, 0));
      all.add(new Keyed("name", nameKey(c.getAs("name_un_en")), c, 1));
      if (cow != null) {
        byCow.computeIfAbsent(cow, k -> new ArrayList<>()).add(c);
      }
    }
    for (Alias a : extraNames) {
      for (Row c : byCow.getOrDefault(a.cow(), List.of())) {
        all.add(new Keyed("name", nameKey(a.alias()), c, 2));
      }
    }
    // per (system, code), the first by priority, then a current state (with an ISO code), then one
    // with a G-W code, then the country name (nulls first, as Spark sorts)
    Comparator<Keyed> order = Comparator.<Keyed>comparingInt(Keyed::priority)
        .thenComparing(k -> k.country().getAs("iso3") == null)
        .thenComparing(k -> k.country().getAs("gw_code") == null)
        .thenComparing(k -> (String) k.country().getAs("country"), Comparator.nullsFirst(Comparator.naturalOrder()));
    Map<List<String>, Keyed> best = new LinkedHashMap<>();
    for (Keyed k : all) {
      if (k.code() != null) {
        best.merge(List.of(k.system(), k.code()), k, (a, b) -> order.compare(b, a) < 0 ? b : a);
      }
    }
    List<Row> out = new ArrayList<>(best.size());
    for (Keyed k : best.values()) {
      Row c = k.country();
      out.add(new GenericRowWithSchema(new Object[] {k.system(), k.code(), c.getAs("gw_code"), c.getAs("cow_code"),
          c.getAs("iso3"), c.getAs("country")}, CODES));
    }
    return out;
  }

  private static String upperCase(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }

  /**
   * Adds canonical keys to {@code rows} by the country column and system of its format; rows whose
   * code is not in the lookup get reason {@code unknown_country} (unless already rejected). A
   * source column named like a canonical key is kept as {@code source_<name>}.
   */
  public static Dataset<Row> harmonise(
      Dataset<Row> rows, SourceFormat.CountryKey key, Dataset<Row> codes) {
    Dataset<Row> in = rows;
    String codeColumn = key.column();
    for (String c : CANONICAL) {
      if (List.of(in.columns()).contains(c)) {
        in = in.withColumnRenamed(c, "source_" + c);
        if (c.equals(codeColumn)) {
          codeColumn = "source_" + c;
        }
      }
    }
    Column raw = col(codeColumn).cast("string");
    if (key.firstCode()) {
      raw = trim(split(raw, ",").getItem(0));
    }
    Column code = switch (key.system()) {
      case "name" -> NAME_KEY.apply(raw);
      case "iso3", "pitf" -> upper(trim(raw));
      default -> trim(raw);
    };
    Dataset<Row> lookup = codes.where(col("system").equalTo(key.system()))
        .select(col("code").as("_code"), col("gw_code"), col("cow_code"), col("iso3"), col("country"));
    Dataset<Row> joined = in.withColumn("_code", code)
        .join(broadcast(lookup), "_code", "left");
    Column unknown = col(Typing.REASON).isNull().and(col("country").isNull());
    return joined
        .withColumn(Typing.MESSAGE, when(unknown,
            concat(lit("country code '"), coalesce(col("_code"), lit("")),
                lit("' (" + key.system() + ", column " + key.column() + ") is not in the crosswalk")))
            .otherwise(col(Typing.MESSAGE)))
        .withColumn(Typing.REASON, when(unknown, lit("unknown_country")).otherwise(col(Typing.REASON)))
        .withColumn("_country_code", col("_code"))
        .drop("_code");
  }
}
