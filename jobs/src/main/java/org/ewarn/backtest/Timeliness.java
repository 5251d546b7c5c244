package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warning timeliness, case by case: for each onset, was the country flagged by the forecasts made
 * one and two periods before, for how many consecutive periods up to the onset (lead time), since
 * when (first crossing of the run that reaches the onset), chronically (≥ N periods running), or
 * missed (flagged in neither of the two periods before).
 */
public final class Timeliness {
  private Timeliness() {}

  /**
   * A country is flagged when its rank is at most {@code rankAtMost} (0 = rule off) or its risk is
   * at least {@code riskAtLeast} (NaN = rule off).
   */
  public record Flagging(int rankAtMost, double riskAtLeast, int chronicPeriods) {
    boolean flags(Forecast f) {
      return f != null
          && ((rankAtMost > 0 && f.rank() <= rankAtMost)
              || (!Double.isNaN(riskAtLeast) && f.risk() >= riskAtLeast));
    }
  }

  /** An onset: the country and the period (year, or month index) it started. */
  public record Onset(int ccode, String country, int period) {}

  public record Case(
      String model, String country, int ccode, int onsetPeriod, String episodeName,
      Integer rank1Before, Integer rank2Before, Double risk1Before, Double risk2Before,
      boolean flagged1Before, boolean flagged2Before, int leadTime, Integer firstCrossing,
      boolean chronic, boolean missed) {}

  public record LeadTime(String model, int leadTime, long cases) {}

  /**
   * The case table. {@code forecasts} are keyed by the period they were made in
   * ({@link Forecast#year()}); {@code episodeNames} by (ccode, onset period).
   */
  public static List<Case> cases(
      String model, List<Forecast> forecasts, List<Onset> onsets, Map<Long, String> episodeNames, Flagging flagging) {
    Map<Long, Forecast> made = new HashMap<>();
    for (Forecast f : forecasts) {
      made.put(AnnualProtocol.key(f.year(), f.ccode()), f);
    }
    List<Case> out = new ArrayList<>();
    for (Onset o : onsets) {
      Forecast one = made.get(AnnualProtocol.key(o.period() - 1, o.ccode()));
      Forecast two = made.get(AnnualProtocol.key(o.period() - 2, o.ccode()));
      int lead = 0;
      while (flagging.flags(made.get(AnnualProtocol.key(o.period() - 1 - lead, o.ccode())))) {
        lead++;
      }
      boolean f1 = flagging.flags(one);
      boolean f2 = flagging.flags(two);
      out.add(new Case(model, o.country(), o.ccode(), o.period(),
          episodeNames.get(AnnualProtocol.key(o.period(), o.ccode())),
          one == null ? null : one.rank(), two == null ? null : two.rank(),
          one == null ? null : one.risk(), two == null ? null : two.risk(),
          f1, f2, lead, lead == 0 ? null : o.period() - lead,
          lead >= flagging.chronicPeriods(), !f1 && !f2));
    }
    return out;
  }

  /** How many cases had each lead time (0 = not flagged in the period just before). */
  public static List<LeadTime> leadTimes(String model, List<Case> cases) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (Case c : cases) {
      counts.merge(c.leadTime(), 1L, Long::sum);
    }
    List<LeadTime> out = new ArrayList<>();
    counts.forEach((lead, n) -> out.add(new LeadTime(model, lead, n)));
    return out;
  }

  /** Onsets of an annual warnings table (mk_onset = 1), in table order. */
  public static List<Onset> onsets(List<Warning> warnings) {
    List<Onset> out = new ArrayList<>();
    for (Warning w : warnings) {
      if (w.mkOnset() == 1) {
        out.add(new Onset(w.ccode(), w.country(), w.year()));
      }
    }
    return out;
  }
}
