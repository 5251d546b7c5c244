package org.ewarn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The primary-model rules on hand-made back-test figures. */
class PrimaryModelTest {
  static final List<String> CANDIDATES = List.of("elastic_net", "random_forest", "gbt", "ensemble");

  static PrimaryModel.Settings rule(PrimaryModel.Rule r) {
    return new PrimaryModel.Settings(r, "elastic_net", 0.01, 30, CANDIDATES);
  }

  static Optional<PrimaryModel.Backtest> backtest(PrimaryModel.Figures... f) {
    return Optional.of(new PrimaryModel.Backtest("run-7", "20261202", List.of(f)));
  }

  static PrimaryModel.Figures fig(String model, double auc, double recall) {
    return new PrimaryModel.Figures(model, auc, recall, 4000, 60);
  }

  @Test
  void marginKeepsTheDefaultUnlessAChallengerBeatsItsAucByTheMarginWithoutLosingRecall() {
    PrimaryModel.Settings margin = rule(PrimaryModel.Rule.MARGIN);
    // 0.859 < 0.85 + 0.01: not enough; gbt has the AUC but a lower recall
    PrimaryModel.Choice kept = PrimaryModel.choose(margin, backtest(fig("elastic_net", 0.85, 0.70),
        fig("random_forest", 0.859, 0.80), fig("gbt", 0.90, 0.69), fig("baseline_history", 0.95, 0.95)));
    assertThat(kept.model()).isEqualTo("elastic_net");
    assertThat(kept.fromBacktest()).isTrue();
    assertThat(kept.evidence()).contains("elastic_net: pooled AUC 0.850, recall@30 0.700").contains("run-7")
        .contains("random_forest AUC 0.859").doesNotContain("baseline_history"); // not a candidate

    // two challengers qualify (0.86 and 0.87, recall not lower): the better AUC wins
    PrimaryModel.Choice beaten = PrimaryModel.choose(margin, backtest(fig("elastic_net", 0.85, 0.70),
        fig("random_forest", 0.86, 0.70), fig("ensemble", 0.87, 0.75), fig("gbt", 0.95, 0.50)));
    assertThat(beaten.model()).isEqualTo("ensemble");
    assertThat(beaten.evidence()).startsWith("ensemble: pooled AUC 0.870, recall@30 0.750");
  }

  @Test
  void bestAucTakesTheHighestAucAndBreaksTiesByRecallThenOrder() {
    PrimaryModel.Settings best = rule(PrimaryModel.Rule.BEST_AUC);
    assertThat(PrimaryModel.choose(best, backtest(fig("elastic_net", 0.85, 0.70), fig("gbt", 0.90, 0.40),
        fig("ensemble", 0.88, 0.90))).model()).isEqualTo("gbt");
    assertThat(PrimaryModel.choose(best, backtest(fig("gbt", 0.90, 0.70), fig("random_forest", 0.90, 0.80)))
        .model()).isEqualTo("random_forest");
    // a full tie: the earlier candidate in the configured order (random_forest before gbt)
    assertThat(PrimaryModel.choose(best, backtest(fig("gbt", 0.90, 0.80), fig("random_forest", 0.90, 0.80)))
        .model()).isEqualTo("random_forest");
  }

  @Test
  void fixedAndNoBacktestUseTheDefaultAndSaySo() {
    PrimaryModel.Choice fixed = PrimaryModel.choose(rule(PrimaryModel.Rule.FIXED),
        backtest(fig("elastic_net", 0.80, 0.6), fig("gbt", 0.99, 0.99)));
    assertThat(fixed.model()).isEqualTo("elastic_net");
    assertThat(fixed.evidence()).contains("fixed by configuration").contains("AUC 0.800");

    PrimaryModel.Choice none = PrimaryModel.choose(rule(PrimaryModel.Rule.MARGIN), Optional.empty());
    assertThat(none.model()).isEqualTo("elastic_net");
    assertThat(none.fromBacktest()).isFalse();
    assertThat(none.evidence()).contains("no annual back-test");

    // the default was not back-tested (e.g. backtest --model gbt alone): no evidence for it
    PrimaryModel.Choice missing = PrimaryModel.choose(rule(PrimaryModel.Rule.MARGIN), backtest(fig("gbt", 0.9, 0.9)));
    assertThat(missing.model()).isEqualTo("elastic_net");
    assertThat(missing.fromBacktest()).isFalse();
    assertThat(missing.evidence()).contains("has no figures");
  }
}
