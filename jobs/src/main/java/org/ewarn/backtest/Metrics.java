package org.ewarn.backtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Skill scores of a risk forecast against 0/1 outcomes. NaN means "not defined" (e.g. no onsets
 * in the scope); callers write it as null.
 */
public final class Metrics {
  /** log loss clips probabilities to [ε, 1−ε] so a confident miss costs a large finite amount. */
  static final double LOG_LOSS_EPS = 1.0e-15;

  private Metrics() {}

  /**
   * ROC AUC as the Mann-Whitney statistic with midranks for ties: the probability that a random
   * onset gets a higher risk than a random non-onset, ties counting one half.
   */
  public static double auc(double[] risk, int[] outcome) {
    int positives = count(outcome);
    int negatives = outcome.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(risk);
    double sum = 0;
    for (int i = 0; i < ranks.length; i++) {
      if (outcome[i] == 1) {
        sum += ranks[i];
      }
    }
    return (sum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * Average precision (area under the precision-recall curve as a step function, the definition
   * of scikit-learn's average_precision_score): Σ over distinct risk thresholds, from the highest,
   * of (recall gained) × precision at that threshold; tied risks enter together.
   */
  public static double averagePrecision(double[] risk, int[] outcome) {
    int positives = count(outcome);
    if (positives == 0) {
      return Double.NaN;
    }
    Integer[] order = byRiskDescending(risk);
    double ap = 0;
    int tp = 0;
    int seen = 0;
    for (int pos = 0; pos < order.length; ) {
      double threshold = risk[order[pos]];
      int tpBefore = tp;
      while (pos < order.length && risk[order[pos]] == threshold) {
        tp += outcome[order[pos]];
        seen++;
        pos++;
      }
      ap += (double) (tp - tpBefore) / positives * tp / seen;
    }
    return ap;
  }

  public static double brier(double[] risk, int[] outcome) {
    if (risk.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < risk.length; i++) {
      double d = risk[i] - outcome[i];
      s += d * d;
    }
    return s / risk.length;
  }

  public static double logLoss(double[] risk, int[] outcome) {
    if (risk.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < risk.length; i++) {
      double p = Math.min(Math.max(risk[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
      s += outcome[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return -s / risk.length;
  }

  /** Share of onsets ranked in the top k; a missing rank (0) is not in the top k. */
  public static double recallAtK(int[] rank, int[] outcome, int k) {
    int positives = count(outcome);
    if (positives == 0) {
      return Double.NaN;
    }
    int hit = 0;
    for (int i = 0; i < rank.length; i++) {
      if (outcome[i] == 1 && rank[i] >= 1 && rank[i] <= k) {
        hit++;
      }
    }
    return (double) hit / positives;
  }

  /** Share of top-k rows that were onsets. */
  public static double precisionAtK(int[] rank, int[] outcome, int k) {
    TopK top = TopK.of(rank, outcome, k);
    return top.flagged() == 0 ? Double.NaN : (double) top.hits() / top.flagged();
  }

  /** Rows ranked 1..k and the onsets among them. */
  private record TopK(int flagged, int hits) {
    static TopK of(int[] rank, int[] outcome, int k) {
      int flagged = 0;
      int hits = 0;
      for (int i = 0; i < rank.length; i++) {
        if (rank[i] >= 1 && rank[i] <= k) {
          flagged++;
          hits += outcome[i];
        }
      }
      return new TopK(flagged, hits);
    }
  }

  /** Among rows ranked in the top k: rows without an onset per row with one (NaN without a hit). */
  public static double falseAlarmsPerHitAtK(int[] rank, int[] outcome, int k) {
    TopK top = TopK.of(rank, outcome, k);
    return top.hits() == 0 ? Double.NaN : (double) (top.flagged() - top.hits()) / top.hits();
  }

  /** Share of onsets whose risk was at or above the threshold. */
  public static double shareAbove(double[] risk, int[] outcome, double threshold) {
    int positives = count(outcome);
    if (positives == 0) {
      return Double.NaN;
    }
    int hit = 0;
    for (int i = 0; i < risk.length; i++) {
      if (outcome[i] == 1 && risk[i] >= threshold) {
        hit++;
      }
    }
    return (double) hit / positives;
  }

  /** Non-onset rows at or above the threshold per onset row at or above it. */
  public static double falseAlarmsPerTrue(double[] risk, int[] outcome, double threshold) {
    int trueAlarms = 0;
    int falseAlarms = 0;
    for (int i = 0; i < risk.length; i++) {
      if (risk[i] >= threshold) {
        if (outcome[i] == 1) {
          trueAlarms++;
        } else {
          falseAlarms++;
        }
      }
    }
    return trueAlarms == 0 ? Double.NaN : (double) falseAlarms / trueAlarms;
  }

  /** Mean risk of onset rows over mean risk of the other rows. */
  public static double riskRatio(double[] risk, int[] outcome) {
    double on = 0;
    double off = 0;
    int nOn = 0;
    int nOff = 0;
    for (int i = 0; i < risk.length; i++) {
      if (outcome[i] == 1) {
        on += risk[i];
        nOn++;
      } else {
        off += risk[i];
        nOff++;
      }
    }
    return nOn == 0 || nOff == 0 || off == 0 ? Double.NaN : (on / nOn) / (off / nOff);
  }

  /** A point of a ROC curve (false-positive rate, true-positive rate) or PR curve (recall, precision). */
  public record Point(double x, double y) {}

  /** ROC curve from (0,0) to (1,1), one point per distinct risk threshold. */
  public static List<Point> roc(double[] risk, int[] outcome) {
    int positives = count(outcome);
    int negatives = outcome.length - positives;
    List<Point> out = new ArrayList<>();
    if (positives == 0 || negatives == 0) {
      return out;
    }
    out.add(new Point(0, 0));
    Integer[] order = byRiskDescending(risk);
    int tp = 0;
    int fp = 0;
    for (int pos = 0; pos < order.length; ) {
      double threshold = risk[order[pos]];
      while (pos < order.length && risk[order[pos]] == threshold) {
        if (outcome[order[pos]] == 1) {
          tp++;
        } else {
          fp++;
        }
        pos++;
      }
      out.add(new Point((double) fp / negatives, (double) tp / positives));
    }
    return out;
  }

  /** Precision-recall curve, one point per distinct risk threshold, highest threshold first. */
  public static List<Point> precisionRecall(double[] risk, int[] outcome) {
    int positives = count(outcome);
    List<Point> out = new ArrayList<>();
    if (positives == 0) {
      return out;
    }
    Integer[] order = byRiskDescending(risk);
    int tp = 0;
    int seen = 0;
    for (int pos = 0; pos < order.length; ) {
      double threshold = risk[order[pos]];
      while (pos < order.length && risk[order[pos]] == threshold) {
        tp += outcome[order[pos]];
        seen++;
        pos++;
      }
      out.add(new Point((double) tp / positives, (double) tp / seen));
    }
    return out;
  }

  static int count(int[] outcome) {
    int c = 0;
    for (int o : outcome) {
      if (o != 0 && o != 1) {
        throw new IllegalArgumentException("outcome must be 0 or 1, got " + o);
      }
      c += o;
    }
    return c;
  }

  private static Integer[] byRiskDescending(double[] risk) {
    Integer[] order = new Integer[risk.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> risk[i]).reversed());
    return order;
  }
}
