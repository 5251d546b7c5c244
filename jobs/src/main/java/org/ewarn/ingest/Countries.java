package org.ewarn.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

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

  /**
   * The {@code countries} table, one row per country of the countrycode crosswalk plus the states
   * of the G-W and COW lists it lacks (historical codes such as 265 German Democratic Republic),
   * with names in the six UN languages where ISO/M49 has them.
   */
  public static Dataset<Row> table(
      Dataset<Row> countrycode, Dataset<Row> gwStates, Dataset<Row> cowStates, Dataset<Row> isoM49,
      List<Override> overrides) {
    Column gw = col("gwn");
    Column cow = col("cown");
    for (Override o : overrides) {
      gw = when(col("iso3c").equalTo(o.iso3()), lit(o.gw())).otherwise(gw);
      cow = when(col("iso3c").equalTo(o.iso3()), lit(o.cow())).otherwise(cow);
    }
    Dataset<Row> current = withGwFromStateList(
        countrycode.select(
            gw.as("gw_code"),
            cow.as("cow_code"),
            col("iso3c").as("iso3"),
            col("iso3n"),
            col("country_name_en").as("country"),
            col("un_region_name").as("region"),
            col("cowc"),
            col("p5c")), gwStates, cowStates);
    Dataset<Row> gwNames = gwStates.groupBy("gwcode").agg(
        org.apache.spark.sql.functions.max_by(col("country_name"), col("start")).as("gw_name"),
        org.apache.spark.sql.functions.max_by(col("gwc"), col("start")).as("gwc"));
    Dataset<Row> cowNames = cowStates.groupBy("cowcode").agg(
        org.apache.spark.sql.functions.max_by(col("country_name"), col("start")).as("cow_name"),
        org.apache.spark.sql.functions.max_by(col("cowc"), col("start")).as("cowc_hist"));
    // Historical G-W states missing from the current crosswalk keep the same number in COW when
    // COW has it (both lists number the same polity alike in these cases: 265, 315, 680, 817…).
    Dataset<Row> gwOnly =
        gwNames.join(current, gwNames.col("gwcode").equalTo(current.col("gw_code")), "left_anti")
            .join(cowNames, col("gwcode").equalTo(col("cowcode")), "left")
            .select(
                col("gwcode").as("gw_code"),
                col("cowcode").as("cow_code"),
                lit(null).cast("string").as("iso3"),
                lit(null).cast("int").as("iso3n"),
                col("gw_name").as("country"),
                lit(null).cast("string").as("region"),
                coalesce(col("cowc_hist"), col("gwc")).as("cowc"),
                coalesce(col("cowc_hist"), col("gwc")).as("p5c"));
    Dataset<Row> known = current.unionByName(gwOnly);
    Dataset<Row> gwCodes = gwNames.select(col("gwcode").as("same_gw"));
    Dataset<Row> cowOnly =
        cowNames.join(known, cowNames.col("cowcode").equalTo(known.col("cow_code")), "left_anti")
            .join(gwCodes, col("cowcode").equalTo(col("same_gw")), "left")
            .select(
                col("same_gw").as("gw_code"),
                col("cowcode").as("cow_code"),
                lit(null).cast("string").as("iso3"),
                lit(null).cast("int").as("iso3n"),
                col("cow_name").as("country"),
                lit(null).cast("string").as("region"),
                col("cowc_hist").as("cowc"),
                col("cowc_hist").as("p5c"));
    Dataset<Row> all = known.unionByName(cowOnly);
    Dataset<Row> names =
        isoM49
            .where(col("iso3166_1_alpha_3").isNotNull())
            .select(
                col("iso3166_1_alpha_3").as("m49_iso3"),
                // the short UN term is empty for a few countries (e.g. Türkiye in Chinese):
                // fall back to the formal term, then the official name
                localized(isoM49, "chinese", "cn").as("name_zh"),
                localized(isoM49, "french", "fr").as("name_fr"),
                localized(isoM49, "spanish", "es").as("name_es"),
                localized(isoM49, "russian", "ru").as("name_ru"),
                localized(isoM49, "arabic", "ar").as("name_ar"),
                col("unterm_english_short").as("name_un_en"))
            .dropDuplicates("m49_iso3");
    return all.join(names, all.col("iso3").equalTo(names.col("m49_iso3")), "left").drop("m49_iso3");
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
  static Dataset<Row> withGwFromStateList(Dataset<Row> crosswalk, Dataset<Row> gwStates, Dataset<Row> cowStates) {
    Dataset<Row> claimed = crosswalk.where(col("gw_code").isNotNull()).select(col("gw_code").as("_claimed")).distinct();
    Dataset<Row> unclaimed = gwStates
        .join(claimed, gwStates.col("gwcode").equalTo(claimed.col("_claimed")), "left_anti")
        .select(col("gwcode").as("_gw"), col("gwc").as("_gwc"), NAME_KEY.apply(col("country_name")).as("_gw_name"),
            col("start").as("_gw_start"), col("end").as("_gw_end"));
    Dataset<Row> cowMembership = cowStates.groupBy(col("cowcode").as("_cow"))
        .agg(org.apache.spark.sql.functions.min("start").as("_cow_start"),
            org.apache.spark.sql.functions.max("end").as("_cow_end"));
    Dataset<Row> lacking = crosswalk.where(col("gw_code").isNull().and(col("country").isNotNull()))
        .select(col("country").as("_country"), col("cowc").as("_cowc"), NAME_KEY.apply(col("country")).as("_name"),
            col("cow_code").as("_row_cow"))
        .join(cowMembership, col("_row_cow").equalTo(col("_cow")), "left");
    Column sameState = col("_cowc").equalTo(col("_gwc")).or(col("_name").equalTo(col("_gw_name")));
    Column overlaps = col("_cow_start").isNull()
        .or(col("_gw_start").leq(col("_cow_end")).and(col("_gw_end").geq(col("_cow_start"))));
    Dataset<Row> candidates = lacking.join(unclaimed, sameState.and(overlaps)).select("_country", "_gw").distinct();
    Dataset<Row> oneToOne = candidates
        .withColumn("_per_row", org.apache.spark.sql.functions.count(lit(1)).over(Window.partitionBy("_country")))
        .withColumn("_per_state", org.apache.spark.sql.functions.count(lit(1)).over(Window.partitionBy("_gw")))
        .where(col("_per_row").equalTo(1).and(col("_per_state").equalTo(1)))
        .select("_country", "_gw");
    return crosswalk.join(oneToOne, crosswalk.col("country").equalTo(oneToOne.col("_country")), "left")
        .withColumn("gw_code", coalesce(col("gw_code"), col("_gw")))
        .drop("_country", "_gw");
  }

  private static Column localized(Dataset<Row> isoM49, String language, String code) {
    List<String> have = List.of(isoM49.columns());
    List<Column> candidates = new java.util.ArrayList<>();
    for (String c : List.of("unterm_" + language + "_short", "unterm_" + language + "_formal", "official_name_" + code)) {
      if (have.contains(c)) {
        candidates.add(when(trim(col(c)).notEqual(""), col(c)));
      }
    }
    return coalesce(candidates.toArray(Column[]::new));
  }

  /**
   * The lookup every join uses: (system, code) → canonical keys. Systems: gw, cow, iso3, iso3n,
   * pitf (PITF/Polity letters, then COW letters), name (name keys of every English spelling the
   * crosswalks have). Where two countries claim a code, the current crosswalk row wins.
   */
  public static Dataset<Row> codes(Dataset<Row> countries, Dataset<Row> extraNames) {
    Column[] canon = {col("gw_code"), col("cow_code"), col("iso3"), col("country")};
    Dataset<Row> byGw = keyed(countries, "gw", col("gw_code").cast("string"), 0, canon);
    Dataset<Row> byCow = keyed(countries, "cow", col("cow_code").cast("string"), 0, canon);
    Dataset<Row> byIso3 = keyed(countries, "iso3", upper(col("iso3")), 0, canon);
    Dataset<Row> byIsoN = keyed(countries, "iso3n", col("iso3n").cast("string"), 0, canon);
    Dataset<Row> byPolity = keyed(countries, "pitf", upper(col("p5c")), 0, canon);
    Dataset<Row> byCowc = keyed(countries, "pitf", upper(col("cowc")), 1, canon);
    Dataset<Row> byName = keyed(countries, "name", NAME_KEY.apply(col("country")), 0, canon);
    Dataset<Row> byUnName = keyed(countries, "name", NAME_KEY.apply(col("name_un_en")), 1, canon);
    Dataset<Row> byExtra =
        extraNames.join(countries.select(canon), "cow_code")
            .select(lit("name").as("system"), NAME_KEY.apply(col("alias")).as("code"),
                col("gw_code"), col("cow_code"), col("iso3"), col("country"), lit(2).as("priority"));
    Dataset<Row> all =
        byGw.unionByName(byCow).unionByName(byIso3).unionByName(byIsoN).unionByName(byPolity)
            .unionByName(byCowc).unionByName(byName).unionByName(byUnName).unionByName(byExtra)
            .where(col("code").isNotNull());
    // Current states (with an ISO code) win over historical ones for a shared code.
    return all.withColumn("_n", row_number().over(Window.partitionBy("system", "code")
            .orderBy(col("priority"), col("iso3").isNull(), col("gw_code").isNull(), col("country"))))
        .where(col("_n").equalTo(1))
        .drop("_n", "priority");
  }

  private static Dataset<Row> keyed(Dataset<Row> countries, String system, Column code, int priority, Column[] canon) {
    return countries.select(
        lit(system).as("system"), code.as("code"), canon[0], canon[1], canon[2], canon[3],
        lit(priority).as("priority"));
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
