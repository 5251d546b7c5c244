package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.SparkTest;
import org.junit.jupiter.api.Test;

/** Rewriting everything dated after t must leave every feature of every row at or before t unchanged. */
@org.junit.jupiter.api.Tag("slow")
class PanelLeakageTest extends SparkTest {

  private static boolean isOutcome(String c) {
    return c.endsWith("_within") || c.endsWith("_next") || c.equals("mk_onset_1") || c.equals("mk_onset_2")
        || c.equals("mk_onset_1or2") || CountryMonthPanel.ONSET_MONTH_COLUMNS.contains(c)
        || c.equals("ewp_mk_onset_dated_by");
  }

  private static Column[] features(Dataset<Row> d) {
    return Arrays.stream(d.columns()).filter(c -> !isOutcome(c)).map(c -> col("`" + c + "`")).toArray(Column[]::new);
  }

  private static void assertSameRows(Dataset<Row> a, Dataset<Row> b) {
    assertThat(a.count()).isEqualTo(b.count()).isPositive();
    assertThat(a.exceptAll(b).count()).isZero();
    assertThat(b.exceptAll(a).count()).isZero();
  }

  @Test
  void countryMonthFeaturesIgnoreEverythingAfterTheirMonth() {
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    String cutoff = "2013-06-30";
    Column after = col("date_end").gt(lit(cutoff).cast("date"));
    Dataset<Row> ged = f.gedEvents();
    Dataset<Row> gedChanged = ged.withColumn("best", when(after, col("best").multiply(10).plus(7)).otherwise(col("best")))
        .withColumn("type_of_violence", when(after, lit(3)).otherwise(col("type_of_violence")))
        .withColumn("adm_1", when(after, lit("Nowhere")).otherwise(col("adm_1")))
        .unionByName(ged.where(after).withColumn("id", col("id").plus(10_000_000L)));
    Dataset<Row> coups = f.coups();
    Dataset<Row> coupsChanged = coups.unionByName(coups.where(col("year").equalTo(2003))
        .withColumn("year", lit(2014)).withColumn("coup_date", lit("2014-01-15").cast("date")));
    Dataset<Row> protests = f.protests();
    Column protestAfter = col("end_date").gt(lit(cutoff).cast("date"));
    Dataset<Row> protestsChanged = protests.withColumn("killings", when(protestAfter, lit(1)).otherwise(col("killings")));

    CountryMonthPanel.Inputs original = new CountryMonthPanel.Inputs(ged, null, coups, protests, f.gwStates(),
        f.episodes(), f.pitfGenocide(), 2024);
    CountryMonthPanel.Inputs perturbed = new CountryMonthPanel.Inputs(gedChanged, null, coupsChanged, protestsChanged,
        f.gwStates(), f.episodes().withColumn("startyear", col("startyear").plus(1)), f.pitfGenocide(), 2024);
    PanelConfig cfg = new PanelConfig(2, 12, List.of(3, 6, 12), 12, "2010-01", "2016-12", "test");
    // cached: each count below would otherwise rebuild both panels from the events
    Dataset<Row> a = CountryMonthPanel.build(original, cfg).cache();
    Dataset<Row> b = CountryMonthPanel.build(perturbed, cfg).cache();
    int t = 2013 * 12 + 5;
    // the perturbation is visible after t, so the comparison below is not vacuous
    assertThat(a.select(features(a)).where(col("month_index").gt(t))
        .exceptAll(b.select(features(b)).where(col("month_index").gt(t))).count()).isPositive();
    assertSameRows(a.select(features(a)).where(col("month_index").leq(t)),
        b.select(features(b)).where(col("month_index").leq(t)));
    a.unpersist();
    b.unpersist();
  }

  @Test
  void countryYearFeaturesIgnoreEverythingAfterTheirYear() {
    WarehouseFixture f = new WarehouseFixture(spark(), HOME);
    int t = 2012;
    Dataset<Row> predictors = f.predictors();
    List<Column> changed = new ArrayList<>();
    for (String c : predictors.columns()) {
      boolean numeric = predictors.schema().apply(c).dataType().typeName().equals("double");
      changed.add(numeric ? when(col("year").gt(t), col(c).plus(1.5)).otherwise(col(c)).as(c) : col(c));
    }
    Dataset<Row> ged = f.gedEvents();
    Column gedAfter = year(col("date_end")).gt(t);
    Dataset<Row> gedChanged = ged.withColumn("best", when(gedAfter, col("best").plus(100)).otherwise(col("best")))
        .unionByName(ged.where(gedAfter).withColumn("id", col("id").plus(10_000_000L)));
    Dataset<Row> coups = f.coups();
    Dataset<Row> coupsChanged = coups.unionByName(coups.where(col("year").equalTo(2003))
        .withColumn("year", lit(2013)).withColumn("coup_date", lit("2013-02-01").cast("date")));
    Dataset<Row> protests = f.protests();
    Dataset<Row> protestsChanged = protests.withColumn("shootings",
        when(col("year").gt(t), lit(1)).otherwise(col("shootings")));
    Dataset<Row> pitf = f.pitfGenocide();
    Dataset<Row> pitfChanged = pitf.unionByName(pitf.where(col("year").equalTo(2010)).withColumn("year", lit(2013)));

    CountryYearPanel.Inputs original = new CountryYearPanel.Inputs(predictors, ged, coups, protests, pitf, f.episodes());
    CountryYearPanel.Inputs perturbed = new CountryYearPanel.Inputs(predictors.select(changed.toArray(Column[]::new)),
        gedChanged, coupsChanged, protestsChanged, pitfChanged, f.episodes());
    Dataset<Row> a = CountryYearPanel.build(original, PanelConfig.defaults()).cache();
    Dataset<Row> b = CountryYearPanel.build(perturbed, PanelConfig.defaults()).cache();
    assertThat(a.select(features(a)).where(col("year").gt(t))
        .exceptAll(b.select(features(b)).where(col("year").gt(t))).count()).isPositive();
    assertSameRows(a.select(features(a)).where(col("year").leq(t)), b.select(features(b)).where(col("year").leq(t)));
    a.unpersist();
    b.unpersist();
  }
}
