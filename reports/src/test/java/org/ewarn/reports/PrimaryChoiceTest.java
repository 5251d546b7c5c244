package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The manifest's primary-model rule and evidence, in every form PrimaryModel writes, as values. */
class PrimaryChoiceTest {
  @Test
  void marginRuleAndKeptDefaultWithOthers() {
    PrimaryChoice c = PrimaryChoice.parse(MartFixtures.PRIMARY_RULE, MartFixtures.PRIMARY_EVIDENCE).orElseThrow();
    assertThat(c.rule().kind()).isEqualTo("margin");
    assertThat(c.rule().defaultModel()).isEqualTo("elastic_net");
    assertThat(c.rule().candidates()).containsExactly("elastic_net", "random_forest", "gbt", "ensemble");
    assertThat(c.rule().aucMargin()).isEqualTo(0.01);
    assertThat(c.rule().recallK()).isEqualTo(30);
    PrimaryChoice.Evidence e = c.evidence();
    assertThat(e.kind()).isEqualTo("chosen");
    assertThat(e.model()).isEqualTo("elastic_net");
    assertThat(e.auc()).isEqualTo(0.802);
    assertThat(e.recall()).isEqualTo(0.583);
    assertThat(e.onsets()).isEqualTo(36);
    assertThat(e.rows()).isEqualTo(6120);
    assertThat(e.why()).isEqualTo("none");
    assertThat(e.incumbent()).isEqualTo("elastic_net");
    assertThat(e.run()).isEqualTo("bt-run-7");
    assertThat(e.vintage()).isEqualTo("bt-2023");
    assertThat(e.others()).extracting(PrimaryChoice.Other::model).containsExactly("random_forest", "gbt", "ensemble");
  }

  @Test
  void challengerBestAucFixedAndNoBacktest() {
    String run = " (annual back-test run r1, backtest_metrics vintage bt-9, pooled, own sample)";
    PrimaryChoice.Evidence beats = PrimaryChoice.evidence("ensemble: pooled AUC 0.830, recall@30 0.600 (40 onsets in"
        + " 7000 country-years); ensemble beats elastic_net (AUC 0.810, recall@30 0.580) by at least 0.01 in AUC with no"
        + " lower recall" + run + "; others: elastic_net AUC 0.810 recall@30 0.580").orElseThrow();
    assertThat(beats.why()).isEqualTo("beats");
    assertThat(beats.challenger()).isEqualTo("ensemble");
    assertThat(beats.incumbentAuc()).isEqualTo(0.81);
    assertThat(beats.margin()).isEqualTo(0.01);
    assertThat(PrimaryChoice.evidence("gbt: pooled AUC 0.800, recall@20 0.500 (40 onsets in 7000 country-years);"
        + " highest pooled AUC of 4 back-tested candidates" + run).orElseThrow().candidates()).isEqualTo(4);
    assertThat(PrimaryChoice.evidence("elastic_net: pooled AUC NaN, recall@30 0.500 (40 onsets in 7000 country-years);"
        + " fixed by configuration" + run).orElseThrow().auc()).isNull();
    assertThat(PrimaryChoice.rule("best-auc: the highest pooled back-test AUC among [gbt, ensemble] (ties: recall@20)")
        .orElseThrow().recallK()).isEqualTo(20);
    assertThat(PrimaryChoice.rule("fixed: gbt").orElseThrow().defaultModel()).isEqualTo("gbt");
    assertThat(PrimaryChoice.evidence("no annual back-test published yet: the configured default elastic_net is used"
        + " without back-test evidence").orElseThrow().kind()).isEqualTo("none");
    PrimaryChoice.Evidence nofigures = PrimaryChoice.evidence("elastic_net has no figures in the latest annual back-test"
        + run + ": the default is used without evidence").orElseThrow();
    assertThat(nofigures.kind()).isEqualTo("nofigures");
    assertThat(nofigures.run()).isEqualTo("r1");
  }

  @Test
  void anotherFormIsNotGuessed() {
    assertThat(PrimaryChoice.parse("best pooled AUC unless elastic_net is within 0.01", "pooled AUC 0.802 against 0.789"))
        .isEmpty();
  }
}
