package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-country profiles on the risk factors of the UN Framework of Analysis for Atrocity Crimes,
 * through the crosswalk in conf/un-framework.conf. A factor with no indicator, or none with a value
 * for the country, is {@code not_assessed}: missing evidence is never reported as low risk.
 */
public final class RiskFactorProfiles {
  private RiskFactorProfiles() {}

  /** One indicator: elevated when value &gt; above (or &lt; below). */
  public record Indicator(String column, Double above, Double below, String why) implements Serializable {
    Column value() {
      return col(column).cast("double");
    }

    Column elevated() {
      return above != null ? value().gt(above) : value().lt(below);
    }

    String rule() {
      return above != null ? "> " + above : "< " + below;
    }
  }

  public record Factor(String id, String name, List<Indicator> indicators) implements Serializable {
    public Factor {
      indicators = List.copyOf(indicators);
    }
  }

  /**
   * One row per country row of {@code panel} and factor: keys…, factor, factor_name, status,
   * indicators (every indicator with a value, with its rule), elevated_by (those that passed).
   */
  public static Dataset<Row> profiles(Dataset<Row> panel, List<Factor> factors, List<String> keys) {
    List<String> columns = Arrays.asList(panel.columns());
    Dataset<Row> all = null;
    for (Factor f : factors) {
      List<Column> described = new ArrayList<>();
      List<Column> elevatedBy = new ArrayList<>();
      Column anyElevated = lit(false);
      Column anyValue = lit(false);
      for (Indicator i : f.indicators()) {
        if (!columns.contains(i.column())) {
          continue; // the panel lacks this indicator: it cannot count for or against the factor
        }
        Column text = concat(lit(i.column() + " = "), format_number(i.value(), 3), lit(" (elevated if " + i.rule() + ")"));
        described.add(when(i.value().isNotNull(), text));
        elevatedBy.add(when(i.elevated(), text));
        anyElevated = anyElevated.or(org.apache.spark.sql.functions.coalesce(i.elevated(), lit(false)));
        anyValue = anyValue.or(i.value().isNotNull());
      }
      List<Column> select = new ArrayList<>();
      keys.forEach(k -> select.add(col(k)));
      select.add(lit(f.id()).as("factor"));
      select.add(lit(f.name()).as("factor_name"));
      select.add(when(anyElevated, "elevated").when(anyValue, "not_elevated").otherwise("not_assessed").as("status"));
      select.add(concat_ws("; ", described.toArray(Column[]::new)).as("indicators"));
      select.add(concat_ws("; ", elevatedBy.toArray(Column[]::new)).as("elevated_by"));
      Dataset<Row> one = panel.select(select.toArray(Column[]::new));
      all = all == null ? one : all.unionByName(one);
    }
    return all;
  }
}
