package org.ewarn.model;

import java.util.ArrayList;
import java.util.List;
import org.ewarn.config.Settings;

/**
 * The {@code un-framework} section (conf/un-framework.conf) bound to the factors of the UN
 * Framework of Analysis and their indicators, validated: ids RF1 … RF14, each indicator a column
 * with exactly one of {@code above} or {@code below}.
 */
public final class UnFrameworkConfig {
  private UnFrameworkConfig() {}

  public static List<RiskFactorProfiles.Factor> from(Settings settings) {
    List<RiskFactorProfiles.Factor> out = new ArrayList<>();
    List<String> ids = new ArrayList<>(settings.children("un-framework.factors"));
    ids.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(2)), Integer.parseInt(b.substring(2))));
    for (String id : ids) {
      if (!id.matches("RF\\d+")) {
        throw settings.problem("un-framework.factors." + id, "factor ids RF1 ... RF14");
      }
      String key = "un-framework.factors." + id;
      List<RiskFactorProfiles.Indicator> indicators = new ArrayList<>();
      List<? extends com.typesafe.config.Config> list = settings.raw().getConfigList(key + ".indicators");
      for (int i = 0; i < list.size(); i++) {
        com.typesafe.config.Config c = list.get(i);
        boolean hasAbove = c.hasPath("above");
        boolean hasBelow = c.hasPath("below");
        if (hasAbove == hasBelow || !c.hasPath("column")) {
          throw settings.problem(key + ".indicators", "entries with a column and exactly one of above = x or below = x"
              + " (entry " + (i + 1) + ")");
        }
        indicators.add(new RiskFactorProfiles.Indicator(c.getString("column"), hasAbove ? c.getDouble("above") : null,
            hasBelow ? c.getDouble("below") : null, c.hasPath("why") ? c.getString("why") : ""));
      }
      out.add(new RiskFactorProfiles.Factor(id, settings.string(key + ".name"), indicators));
    }
    return out;
  }
}
