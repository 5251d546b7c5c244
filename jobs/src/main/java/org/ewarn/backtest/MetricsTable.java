package org.ewarn.backtest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The one metrics table of every protocol: one row per (model or forecast source, protocol,
 * scope), with bootstrap intervals for AUC and recall@k that resample countries (all of a
 * country's rows together, since one country's years are not independent).
 */
public final class MetricsTable {
  private MetricsTable() {}

  /**
   * One scored row: the country ({@code unit}, the bootstrap cluster), the period the forecast is
   * for (a year, or a month index), the scope it belongs to besides "pooled" (a year, a lead), its
   * risk (NaN = no forecast), rank (0 = none) and outcome. (unit, period, group) identifies the row,
   * so two sources' forecasts of the same case can be paired (common sample, skill scores).
   */
  public record Scored(int unit, int period, String group, double risk, int rank, int outcome) {
    CaseKey key() {
      return new CaseKey(unit, period, group);
    }
  }

  /** What one forecast is about: the same case in two sources has the same key. */
  record CaseKey(int unit, int period, String group) {}

  /** Every row a source scored. */
  public static final String OWN_SAMPLE = "own";
  /** Only the rows every source of the comparison scored (with a risk). */
  public static final String COMMON_SAMPLE = "common";
  /**
   * Only the rows every long-running source scored: the common sample without the sources that
   * forecast a small share of the years (the three-year ex-ante history), which would shrink it to
   * a handful of onsets.
   */
  public static final String COMMON_LONG_SAMPLE = "common_long";

  public record Settings(
      List<Integer> ks, int precisionK, List<Double> thresholds, int replicates, long seed,
      int intervalRecallK, double confidence) {
    public Settings {
      ks = List.copyOf(ks);
      thresholds = List.copyOf(thresholds);
    }
  }

  /** A row: model, protocol, scope, sample then the metric columns in {@link #columns} order. */
  public record Row(String model, String protocol, String scope, String sample, Map<String, Double> values,
      long onsets, long rows) {}

  public static String thresholdLabel(double t) {
    return BigDecimal.valueOf(t).stripTrailingZeros().toPlainString().replace('.', '_');
  }

  /** The metric columns, in output order (without model, protocol, scope, onsets, rows). */
  public static List<String> columns(Settings s) {
    List<String> c = new ArrayList<>(List.of("auc", "aupr", "brier", "log_loss"));
    for (int k : s.ks()) {
      c.add("recall_at_" + k);
    }
    c.add("precision_at_" + s.precisionK());
    for (double t : s.thresholds()) {
      c.add("share_above_" + thresholdLabel(t));
      c.add("false_alarms_per_true_" + thresholdLabel(t));
    }
    c.add("risk_ratio");
    c.add("brier_skill");
    c.add("false_alarms_per_hit_at_" + s.precisionK());
    c.add("auc_lower");
    c.add("auc_upper");
    c.add("recall_at_" + s.intervalRecallK() + "_lower");
    c.add("recall_at_" + s.intervalRecallK() + "_upper");
    return c;
  }

  /**
   * Groups (in order) whose forecasts rank nothing: every risk equal, as when cross-validation keeps
   * only the intercept. Their recall at k is 1 by the tie rule (all share rank 1), so a reader must
   * be told; their AUC (0.5) is the honest figure.
   */
  public static List<String> constantGroups(List<Scored> rows) {
    Map<String, double[]> range = new TreeMap<>(MetricsTable::compareGroups);
    for (Scored r : rows) {
      double[] mm = range.computeIfAbsent(r.group(), g -> new double[] {r.risk(), r.risk()});
      mm[0] = Math.min(mm[0], r.risk());
      mm[1] = Math.max(mm[1], r.risk());
    }
    List<String> out = new ArrayList<>();
    range.forEach((g, mm) -> {
      if (mm[0] == mm[1]) {
        out.add(g);
      }
    });
    return out;
  }

  /** The pooled row then one row per group (in the groups' natural order), on every row given. */
  public static List<Row> table(String model, String protocol, List<Scored> rows, Settings s, boolean perGroup) {
    return table(model, protocol, OWN_SAMPLE, rows, null, s, perGroup);
  }

  /**
   * The pooled row then one row per group. {@code reference}: the rows of the model the Brier skill
   * score is measured against (null: no skill score), paired with these rows by case.
   */
  public static List<Row> table(String model, String protocol, String sample, List<Scored> rows,
      List<Scored> reference, Settings s, boolean perGroup) {
    Map<CaseKey, Double> referenceRisk = reference == null ? null : risks(reference);
    List<Row> out = new ArrayList<>();
    out.add(row(model, protocol, "pooled", sample, rows, referenceRisk, s));
    if (perGroup) {
      Map<String, List<Scored>> groups = new TreeMap<>(MetricsTable::compareGroups);
      for (Scored r : rows) {
        groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
      }
      groups.forEach((g, list) -> out.add(row(model, protocol, g, sample, list, referenceRisk, s)));
    }
    return out;
  }

  private static Map<CaseKey, Double> risks(List<Scored> rows) {
    Map<CaseKey, Double> out = new java.util.HashMap<>();
    for (Scored r : rows) {
      if (!Double.isNaN(r.risk())) {
        out.put(r.key(), r.risk());
      }
    }
    return out;
  }

  /**
   * Each source's rows restricted to the cases (unit, period, group) that every source scored with
   * a risk, in the sources' own order: the like-for-like comparison beside each own sample.
   */
  public static Map<String, List<Scored>> commonSample(Map<String, List<Scored>> bySource) {
    java.util.Set<CaseKey> common = null;
    for (List<Scored> rows : bySource.values()) {
      java.util.Set<CaseKey> keys = risks(rows).keySet();
      if (common == null) {
        common = new java.util.HashSet<>(keys);
      } else {
        common.retainAll(keys);
      }
    }
    Map<String, List<Scored>> out = new LinkedHashMap<>();
    java.util.Set<CaseKey> keep = common == null ? java.util.Set.of() : common;
    bySource.forEach((source, rows) -> out.put(source, rows.stream().filter(r -> keep.contains(r.key())).toList()));
    return out;
  }

  /**
   * The sources that forecast (with a risk) at least {@code minShare} of the periods any source
   * forecast, in their own order.
   */
  public static Map<String, List<Scored>> longRunning(Map<String, List<Scored>> bySource, double minShare) {
    Map<String, java.util.Set<Integer>> periods = new LinkedHashMap<>();
    java.util.Set<Integer> all = new java.util.HashSet<>();
    bySource.forEach((source, rows) -> {
      java.util.Set<Integer> p = new java.util.HashSet<>();
      rows.stream().filter(r -> !Double.isNaN(r.risk())).forEach(r -> p.add(r.period()));
      periods.put(source, p);
      all.addAll(p);
    });
    Map<String, List<Scored>> out = new LinkedHashMap<>();
    bySource.forEach((source, rows) -> {
      if (!all.isEmpty() && periods.get(source).size() >= minShare * all.size()) {
        out.put(source, rows);
      }
    });
    return out;
  }

  /** Numeric groups (years, leads) in numeric order, others alphabetically. */
  static int compareGroups(String a, String b) {
    boolean na = a.matches("-?\\d+");
    boolean nb = b.matches("-?\\d+");
    if (na && nb) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }

  public static Row row(String model, String protocol, String scope, List<Scored> rows, Settings s) {
    return row(model, protocol, scope, OWN_SAMPLE, rows, null, s);
  }

  static Row row(String model, String protocol, String scope, String sample, List<Scored> rows,
      Map<CaseKey, Double> referenceRisk, Settings s) {
    Map<String, Double> v = new LinkedHashMap<>();
    Columns all = Columns.of(rows, false);
    Columns withRisk = Columns.of(rows, true);
    v.put("auc", Metrics.auc(withRisk.risk, withRisk.outcome));
    v.put("aupr", Metrics.averagePrecision(withRisk.risk, withRisk.outcome));
    v.put("brier", Metrics.brier(withRisk.risk, withRisk.outcome));
    v.put("log_loss", Metrics.logLoss(withRisk.risk, withRisk.outcome));
    for (int k : s.ks()) {
      v.put("recall_at_" + k, Metrics.recallAtK(all.rank, all.outcome, k));
    }
    v.put("precision_at_" + s.precisionK(), Metrics.precisionAtK(all.rank, all.outcome, s.precisionK()));
    for (double t : s.thresholds()) {
      v.put("share_above_" + thresholdLabel(t), Metrics.shareAbove(withRisk.risk, withRisk.outcome, t));
      v.put("false_alarms_per_true_" + thresholdLabel(t), Metrics.falseAlarmsPerTrue(withRisk.risk, withRisk.outcome, t));
    }
    v.put("risk_ratio", Metrics.riskRatio(withRisk.risk, withRisk.outcome));
    v.put("brier_skill", referenceRisk == null ? Double.NaN : brierSkill(rows, referenceRisk));
    v.put("false_alarms_per_hit_at_" + s.precisionK(), Metrics.falseAlarmsPerHitAtK(all.rank, all.outcome, s.precisionK()));
    double[][] intervals = bootstrap(rows, s);
    v.put("auc_lower", intervals[0][0]);
    v.put("auc_upper", intervals[0][1]);
    v.put("recall_at_" + s.intervalRecallK() + "_lower", intervals[1][0]);
    v.put("recall_at_" + s.intervalRecallK() + "_upper", intervals[1][1]);
    long onsets = rows.stream().filter(r -> r.outcome() == 1).count();
    return new Row(model, protocol, scope, sample, v, onsets, rows.size());
  }

  /**
   * 1 − Brier / Brier of the reference, on the rows where both have a risk: positive when the
   * model's probabilities are closer to what happened than the reference's on the same cases.
   */
  static double brierSkill(List<Scored> rows, Map<CaseKey, Double> referenceRisk) {
    double own = 0;
    double ref = 0;
    int n = 0;
    for (Scored r : rows) {
      Double other = Double.isNaN(r.risk()) ? null : referenceRisk.get(r.key());
      if (other != null) {
        own += (r.risk() - r.outcome()) * (r.risk() - r.outcome());
        ref += (other - r.outcome()) * (other - r.outcome());
        n++;
      }
    }
    return n == 0 || ref == 0 ? Double.NaN : 1 - own / ref;
  }

  /**
   * Percentile bootstrap intervals {auc {lo, hi}, recall@k {lo, hi}}: each replicate draws as many
   * countries as there are, with replacement, and takes all their rows. Replicate b uses its own
   * generator seeded from (seed, b), so the result does not depend on thread scheduling.
   *
   * <p>A replicate is a multiset of countries, so instead of copying rows it weights each row by
   * how often its country was drawn: AUC is then the weighted Mann-Whitney statistic over the rows
   * sorted once by risk (ties by midrank, as {@link Metrics#auc}), O(rows) per replicate.
   */
  public static double[][] bootstrap(List<Scored> rows, Settings s) {
    Map<Integer, Integer> clusterOf = new TreeMap<>();
    for (Scored r : rows) {
      clusterOf.putIfAbsent(r.unit(), clusterOf.size());
    }
    int clusters = clusterOf.size();
    int b = s.replicates();
    if (clusters == 0 || b == 0) {
      return new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
    }
    // rows with a risk, ascending, and where each tie group ends
    List<Scored> risky = rows.stream().filter(r -> !Double.isNaN(r.risk()))
        .sorted(java.util.Comparator.comparingDouble(Scored::risk)).toList();
    int m = risky.size();
    int[] riskyCluster = new int[m];
    boolean[] riskyOnset = new boolean[m];
    boolean[] groupEnd = new boolean[m];
    for (int i = 0; i < m; i++) {
      riskyCluster[i] = clusterOf.get(risky.get(i).unit());
      riskyOnset[i] = risky.get(i).outcome() == 1;
      groupEnd[i] = i == m - 1 || risky.get(i + 1).risk() != risky.get(i).risk();
    }
    int[] allCluster = rows.stream().mapToInt(r -> clusterOf.get(r.unit())).toArray();
    boolean[] onset = new boolean[rows.size()];
    boolean[] topK = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      onset[i] = rows.get(i).outcome() == 1;
      topK[i] = rows.get(i).rank() >= 1 && rows.get(i).rank() <= s.intervalRecallK();
    }
    double[] aucs = new double[b];
    double[] recalls = new double[b];
    IntStream.range(0, b).parallel().forEach(rep -> {
      SplittableRandom random = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + rep);
      int[] times = new int[clusters];
      for (int c = 0; c < clusters; c++) {
        times[random.nextInt(clusters)]++;
      }
      double negBelow = 0;
      double pos = 0;
      double neg = 0;
      double wins = 0;
      double groupPos = 0;
      double groupNeg = 0;
      for (int i = 0; i < m; i++) {
        int w = times[riskyCluster[i]];
        if (riskyOnset[i]) {
          groupPos += w;
        } else {
          groupNeg += w;
        }
        if (groupEnd[i]) {
          wins += groupPos * (negBelow + 0.5 * groupNeg);
          negBelow += groupNeg;
          pos += groupPos;
          neg += groupNeg;
          groupPos = 0;
          groupNeg = 0;
        }
      }
      aucs[rep] = pos == 0 || neg == 0 ? Double.NaN : wins / (pos * neg);
      double onsets = 0;
      double hits = 0;
      for (int i = 0; i < onset.length; i++) {
        if (onset[i]) {
          int w = times[allCluster[i]];
          onsets += w;
          if (topK[i]) {
            hits += w;
          }
        }
      }
      recalls[rep] = onsets == 0 ? Double.NaN : hits / onsets;
    });
    return new double[][] {interval(aucs, s.confidence()), interval(recalls, s.confidence())};
  }

  static double[] interval(double[] values, double confidence) {
    double[] finite = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
    if (finite.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    // R's default quantile (type 7), so the bounds match quantile(x, c(.025, .975))
    Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
    double tail = (1 - confidence) / 2 * 100;
    return new double[] {p.evaluate(finite, tail), p.evaluate(finite, 100 - tail)};
  }

  /** Column arrays of a list of scored rows, optionally only those with a risk. */
  private record Columns(double[] risk, int[] rank, int[] outcome) {
    static Columns of(List<Scored> rows, boolean riskOnly) {
      List<Scored> use = riskOnly ? rows.stream().filter(r -> !Double.isNaN(r.risk())).toList() : rows;
      double[] risk = new double[use.size()];
      int[] rank = new int[use.size()];
      int[] outcome = new int[use.size()];
      for (int i = 0; i < risk.length; i++) {
        risk[i] = use.get(i).risk();
        rank[i] = use.get(i).rank();
        outcome[i] = use.get(i).outcome();
      }
      return new Columns(risk, rank, outcome);
    }
  }

  /** The scored rows of an annual warnings table: risk = maxrisk2, rank = minrank2, group = year. */
  public static List<Scored> fromWarnings(List<Warning> warnings) {
    List<Scored> out = new ArrayList<>(warnings.size());
    for (Warning w : warnings) {
      out.add(new Scored(w.ccode(), w.year(), Integer.toString(w.year()),
          w.maxrisk2() == null ? Double.NaN : w.maxrisk2(),
          w.minrank2() == null ? 0 : w.minrank2(), w.mkOnset()));
    }
    return out;
  }
}
