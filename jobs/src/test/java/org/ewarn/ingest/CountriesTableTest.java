package org.ewarn.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The rules of the countries table and the code lookup, on small hand-made crosswalks (no Spark):
 * each case is one rule of {@link Countries#table} or {@link Countries#codes}, with the expected
 * codes taken from the G-W and COW lists' own numbering.
 */
class CountriesTableTest {
  private static final StructType COUNTRYCODE = new StructType()
      .add("country_name_en", DataTypes.StringType).add("iso3c", DataTypes.StringType)
      .add("iso3n", DataTypes.IntegerType).add("cown", DataTypes.IntegerType).add("cowc", DataTypes.StringType)
      .add("gwn", DataTypes.IntegerType).add("p5c", DataTypes.StringType).add("un_region_name", DataTypes.StringType);
  private static final StructType STATES = new StructType()
      .add("code", DataTypes.IntegerType).add("letters", DataTypes.StringType)
      .add("country_name", DataTypes.StringType).add("start", DataTypes.DateType).add("end", DataTypes.DateType);
  private static final StructType M49 = new StructType()
      .add("iso3166_1_alpha_3", DataTypes.StringType).add("unterm_chinese_short", DataTypes.StringType)
      .add("unterm_chinese_formal", DataTypes.StringType).add("unterm_english_short", DataTypes.StringType);

  private static Row country(String name, String iso3, Integer iso3n, Integer cow, String cowc, Integer gw) {
    return new GenericRowWithSchema(new Object[] {name, iso3, iso3n, cow, cowc, gw, cowc, "Region"}, COUNTRYCODE);
  }

  private static Row state(String codeColumn, String lettersColumn, int code, String letters, String name,
      String start, String end) {
    StructType schema = new StructType()
        .add(codeColumn, DataTypes.IntegerType).add(lettersColumn, DataTypes.StringType)
        .add("country_name", DataTypes.StringType).add("start", DataTypes.DateType).add("end", DataTypes.DateType);
    return new GenericRowWithSchema(new Object[] {code, letters, name, Date.valueOf(start), Date.valueOf(end)}, schema);
  }

  private static Row gw(int code, String letters, String name, String start, String end) {
    return state("gwcode", "gwc", code, letters, name, start, end);
  }

  private static Row cow(int code, String letters, String name, String start, String end) {
    return state("cowcode", "cowc", code, letters, name, start, end);
  }

  private static Map<String, Row> byCountry(List<Row> rows) {
    Map<String, Row> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.getAs("country"), r));
    return out;
  }

  private final List<Row> countrycode = List.of(
      country("Germany", "DEU", 276, 255, "GMY", 260),
      // countrycode lacks the G-W codes of these microstates
      country("Andorra", "AND", 20, 232, "AND", null),
      country("Nauru", "NRU", 520, 970, "NAU", null),
      country("Kiribati", "KIR", 296, 946, "KIR", null),
      // two rows that could both take the one unclaimed state 999: neither gets it
      country("Twin A", "TWA", 1, 998, "TWN", null),
      country("Twin B", "TWB", 2, 997, "TWN", null),
      country("Yemen", "YEM", 887, 679, "YEM", 679));
  private final List<Row> gwStates = List.of(
      gw(260, "GFR", "German Federal Republic", "1949-09-21", "2020-12-31"),
      gw(265, "GDR", "German Democratic Republic", "1949-10-07", "1990-10-02"),
      gw(232, "AND", "Andorra", "1816-01-01", "2020-12-31"),
      gw(970, "KBI", "Kiribati", "1979-07-12", "2020-12-31"),
      gw(971, "NAU", "Nauru", "1968-01-31", "2020-12-31"),
      gw(999, "TWN", "Twin", "1990-01-01", "2020-12-31"),
      // an earlier entry of 678 under another name: the latest one names the state
      gw(678, "YAR", "Yemen Arab Republic", "1918-10-30", "1990-05-21"),
      gw(678, "YEM", "Yemen (Arab Republic of Yemen)", "1990-05-22", "2020-12-31"));
  private final List<Row> cowStates = List.of(
      cow(255, "GMY", "Germany", "1990-10-03", "2016-12-31"),
      cow(265, "GDR", "German Democratic Republic", "1954-03-25", "1990-10-02"),
      cow(232, "AND", "Andorra", "1993-07-28", "2016-12-31"),
      cow(946, "KIR", "Kiribati", "1999-09-14", "2016-12-31"),
      cow(970, "NAU", "Nauru", "1999-09-14", "2016-12-31"),
      cow(998, "TWN", "Twin A", "1991-01-01", "2016-12-31"),
      cow(997, "TWN", "Twin B", "1992-01-01", "2016-12-31"),
      cow(679, "YEM", "Yemen", "1990-05-22", "2016-12-31"),
      cow(345, "YUG", "Yugoslavia", "1878-07-13", "2006-06-04"),
      // COW's earlier Germany: a historical row sharing the current Germany's name and G-W code
      cow(260, "GFR", "Germany", "1816-01-01", "1945-05-08"));
  private final List<Row> m49 = List.of(
      new GenericRowWithSchema(new Object[] {"DEU", "德国", "德意志联邦共和国", "Germany"}, M49),
      // an empty short term (spaces only) falls back to the formal one
      new GenericRowWithSchema(new Object[] {"YEM", "  ", "也门共和国", "Yemen"}, M49));
  private final List<Countries.Override> overrides = List.of(
      new Countries.Override("YEM", 600, 600, "an earlier correction, replaced by the next"),
      new Countries.Override("YEM", 678, 679, "G-W keeps 678 for unified Yemen"));

  @Test
  void microstatesGetTheUnclaimedGwStateWithTheirLettersOrNameOnlyOneToOne() {
    Map<String, Row> t = byCountry(Countries.table(countrycode, gwStates, cowStates, m49, overrides));
    assertThat(t.get("Andorra").<Integer>getAs("gw_code")).isEqualTo(232);
    // by COW letters NAU, not by the COW number 970, which is Kiribati's G-W code
    assertThat(t.get("Nauru").<Integer>getAs("gw_code")).isEqualTo(971);
    // by name: G-W spells Kiribati's letters KBI
    assertThat(t.get("Kiribati").<Integer>getAs("gw_code")).isEqualTo(970);
    assertThat(t.get("Twin A").<Integer>getAs("gw_code")).isNull();
    assertThat(t.get("Twin B").<Integer>getAs("gw_code")).isNull();
  }

  @Test
  void theLastOverrideOfACountryWinsAndNamesFallBackToTheFormalTerm() {
    Row yemen = byCountry(Countries.table(countrycode, gwStates, cowStates, m49, overrides)).get("Yemen");
    assertThat(yemen.<Integer>getAs("gw_code")).isEqualTo(678);
    assertThat(yemen.<Integer>getAs("cow_code")).isEqualTo(679);
    assertThat(yemen.<String>getAs("name_zh")).isEqualTo("也门共和国");
    assertThat(yemen.<String>getAs("name_un_en")).isEqualTo("Yemen");
  }

  @Test
  void historicalStatesMissingFromTheCrosswalkAreAddedFromBothLists() {
    List<Row> table = Countries.table(countrycode, gwStates, cowStates, m49, overrides);
    Map<String, Row> t = byCountry(table);
    // G-W only (265 is also COW's number for it): both codes, G-W's latest name, COW's letters
    Row gdr = t.get("German Democratic Republic");
    assertThat(gdr.<Integer>getAs("gw_code")).isEqualTo(265);
    assertThat(gdr.<Integer>getAs("cow_code")).isEqualTo(265);
    assertThat(gdr.<String>getAs("iso3")).isNull();
    assertThat(gdr.<String>getAs("cowc")).isEqualTo("GDR");
    // COW only, with no G-W state of that number
    Row yugoslavia = t.get("Yugoslavia");
    assertThat(yugoslavia.<Integer>getAs("gw_code")).isNull();
    assertThat(yugoslavia.<Integer>getAs("cow_code")).isEqualTo(345);
    assertThat(yugoslavia.<String>getAs("p5c")).isEqualTo("YUG");
    // the 7 crosswalk rows; G-W only: 265 and 999 (678 is Yemen's by the override); COW only:
    // 345 and 260 (COW 265 came with the G-W state)
    assertThat(t.keySet()).contains("Twin");
    assertThat(table).hasSize(7 + 2 + 2);
    assertThat(table.get(0).schema()).isEqualTo(Countries.TABLE);
  }

  @Test
  void aSharedCodeGoesToTheCurrentStateAndAliasesRankLast() {
    List<Row> table = new ArrayList<>(Countries.table(countrycode, gwStates, cowStates, m49, overrides));
    List<Row> codes = Countries.codes(table, List.of(
        new Countries.Alias(255, "Deutschland"), new Countries.Alias(679, "Germany")));
    Map<String, Row> lookup = new TreeMap<>();
    codes.forEach(r -> lookup.put(r.getAs("system") + ":" + r.getAs("code"), r));
    // G-W 260 and the name "germany" belong to the current Germany and to COW's historical 260
    assertThat(lookup.get("gw:260").<String>getAs("iso3")).isEqualTo("DEU");
    assertThat(lookup.get("cow:260").<String>getAs("iso3")).isNull();
    assertThat(lookup.get("iso3n:276").<String>getAs("iso3")).isEqualTo("DEU");
    assertThat(lookup.get("name:deutschland").<Integer>getAs("cow_code")).isEqualTo(255);
    // an alias naming another country's spelling does not take it over
    assertThat(lookup.get("name:germany").<String>getAs("iso3")).isEqualTo("DEU");
    // PITF letters: YEM is Yemen's own p5c (priority 0)
    assertThat(lookup.get("pitf:YEM").<String>getAs("country")).isEqualTo("Yemen");
    assertThat(codes).allSatisfy(r -> assertThat(r.schema()).isEqualTo(Countries.CODES));
    assertThat(lookup).hasSize(codes.size());
  }
}
