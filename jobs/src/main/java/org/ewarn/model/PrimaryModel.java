package org.ewarn.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.WarehouseView;

/**
 * Which model's ranking the forecast publishes first (Appendix A), chosen by the annual back-test
 * ({@code forecast.primary}): the published ranking is then the validated one.
 *
 * <ul>
 *   <li>{@code margin}: the default model unless another candidate beats its pooled AUC by at
 *       least {@code auc-margin} with a recall@k at least as high (the best such challenger by AUC);
 *   <li>{@code best-auc}: the candidate with the highest pooled AUC (ties: recall@k, then order);
 *   <li>{@code fixed}: the default model whatever the back-test says (its figures are still cited).
 * </ul>
 * Figures are the pooled rows of the back-test's own sample ({@code protocol = annual}); with no
 * annual back-test yet, or none of the default model under {@code margin}, the default is used
 * and the evidence says so.
 */
public final class PrimaryModel {
  private PrimaryModel() {}

  public enum Rule {
    MARGIN, BEST_AUC, FIXED;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** {@code candidates}: the model ids that may be chosen, in tie-breaking order. */
  public record Settings(Rule rule, String defaultModel, double aucMargin, int recallK, List<String> candidates) {
    public Settings {
      candidates = List.copyOf(candidates);
    }

    /** The rule as the manifest states it. */
    public String describe() {
      return switch (rule) {
        case MARGIN -> "margin: " + defaultModel + " unless another of " + candidates
            + " beats its pooled back-test AUC by at least " + aucMargin + " with a recall@" + recallK
            + " at least as high (then the best such by AUC)";
        case BEST_AUC -> "best-auc: the highest pooled back-test AUC among " + candidates
            + " (ties: recall@" + recallK + ")";
        case FIXED -> "fixed: " + defaultModel;
      };
    }
  }

  /** One model's pooled back-test figures. */
  public record Figures(String model, double auc, double recall, long rows, long onsets) {}

  /** The choice, the rule it followed and the figures behind it, in words. */
  public record Choice(String model, String rule, String evidence, boolean fromBacktest) {}

  /** The back-test run the figures come from. */
  public record Backtest(String runId, String vintage, List<Figures> figures) {}

  public static Choice choose(Settings s, Optional<Backtest> backtest) {
    if (backtest.isEmpty() || backtest.get().figures().isEmpty()) {
      return new Choice(s.defaultModel(), s.describe(), "no annual back-test published yet: the configured default "
          + s.defaultModel() + " is used without back-test evidence", false);
    }
    Backtest b = backtest.get();
    List<Figures> candidates = new ArrayList<>();
    for (String id : s.candidates()) {
      b.figures().stream().filter(f -> f.model().equals(id) && !Double.isNaN(f.auc())).findFirst()
          .ifPresent(candidates::add);
    }
    Optional<Figures> incumbent = candidates.stream().filter(f -> f.model().equals(s.defaultModel())).findFirst();
    String run = " (annual back-test run " + b.runId() + ", backtest_metrics vintage " + b.vintage()
        + ", pooled, own sample)";
    Comparator<Figures> better = Comparator.comparingDouble(Figures::auc).thenComparingDouble(Figures::recall);
    Figures chosen;
    String why;
    switch (s.rule()) {
      case FIXED -> {
        chosen = incumbent.orElse(null);
        why = "fixed by configuration";
      }
      case BEST_AUC -> {
        chosen = null;
        for (Figures f : candidates) { // strictly better replaces: the earliest candidate wins ties
          if (chosen == null || better.compare(f, chosen) > 0) {
            chosen = f;
          }
        }
        why = "highest pooled AUC of " + candidates.size() + " back-tested candidates";
      }
      default -> {
        if (incumbent.isEmpty()) {
          return new Choice(s.defaultModel(), s.describe(), s.defaultModel()
              + " has no figures in the latest annual back-test" + run + ": the default is used without evidence", false);
        }
        Figures inc = incumbent.get();
        Optional<Figures> challenger = candidates.stream()
            .filter(f -> !f.model().equals(inc.model()))
            .filter(f -> f.auc() >= inc.auc() + s.aucMargin() - 1e-12 && f.recall() >= inc.recall())
            .sorted(better.reversed()).findFirst();
        chosen = challenger.orElse(inc);
        why = challenger.isPresent()
            ? chosen.model() + " beats " + inc.model() + " (AUC " + fmt(inc.auc()) + ", recall@" + s.recallK() + " "
                + fmt(inc.recall()) + ") by at least " + s.aucMargin() + " in AUC with no lower recall"
            : "no candidate beats " + inc.model() + " by " + s.aucMargin() + " in AUC with no lower recall@"
                + s.recallK();
      }
    }
    if (chosen == null) {
      return new Choice(s.defaultModel(), s.describe(), s.defaultModel()
          + " has no figures in the latest annual back-test" + run, false);
    }
    StringBuilder evidence = new StringBuilder(chosen.model() + ": pooled AUC " + fmt(chosen.auc()) + ", recall@"
        + s.recallK() + " " + fmt(chosen.recall()) + " (" + chosen.onsets() + " onsets in " + chosen.rows()
        + " country-years); " + why + run + "; others:");
    for (Figures f : candidates) {
      if (!f.model().equals(chosen.model())) {
        evidence.append(' ').append(f.model()).append(" AUC ").append(fmt(f.auc())).append(" recall@")
            .append(s.recallK()).append(' ').append(fmt(f.recall())).append(';');
      }
    }
    return new Choice(chosen.model(), s.describe(), evidence.toString().replaceAll("[;:]$", ""), true);
  }

  /**
   * The newest published {@code backtest_metrics} partition written by the annual protocol (the
   * stand-alone score-forecasts and older runs write the same mart), as pooled own-sample figures.
   */
  public static Optional<Backtest> latest(WarehouseView warehouse, int recallK) {
    List<Partition> all = new ArrayList<>(warehouse.partitions("backtest_metrics"));
    for (int i = all.size() - 1; i >= 0; i--) {
      Partition p = all.get(i);
      if (!"annual".equals(p.manifest().properties().get("protocol"))) {
        continue;
      }
      List<Figures> figures = new ArrayList<>();
      List<String> columns = p.columns().stream().map(org.ewarn.warehouse.Column::name).toList();
      String recall = "recall_at_" + recallK;
      if (!columns.contains(recall) || !columns.contains("sample")) {
        continue;
      }
      for (Row r : SparkMarts.rows(p.read())) {
        if ("annual".equals(r.getAs("protocol")) && "pooled".equals(r.getAs("scope")) && "own".equals(r.getAs("sample"))) {
          figures.add(new Figures(r.getAs("model"), number(r.getAs("auc")), number(r.getAs(recall)),
              ((Number) r.getAs("rows")).longValue(), ((Number) r.getAs("onsets")).longValue()));
        }
      }
      return Optional.of(new Backtest(p.manifest().runId(), p.vintage(), figures));
    }
    return Optional.empty();
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }
}
