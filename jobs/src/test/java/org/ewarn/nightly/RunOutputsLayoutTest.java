package org.ewarn.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report-text comparison of two runs ignores layout, not content: the lines are pdftotext's of
 * Appendix A in Arabic from the uninterrupted run and from a restarted one (kill harness
 * 2026-12-04, seed 20261204), where the other run ids' digit widths moved a word across a line.
 */
class RunOutputsLayoutTest {
  private static final String BEFORE =
      "\u202b\u202a.(annual back-test run <run>, backtest_metrics vintage <run>, pooled, own sa"
      + "mple); others\u202c\u202c\n\u202b\ufe8d\ufefb\ufea7\ufe98\ufe92\ufe8e\ufead \ufe8d\ufefb"
      + "\ufeb3\ufe98\ufeae\ufe9f\ufe8e\ufecb\ufef2 )\ufee3\ufea0\ufee4\u0651\u064e\ufeca\u202a "
      + "\u060c\u202c\ufe8d\ufedf\ufecc\ufef4\ufee8\ufe94 \ufe8d\ufedf\ufea8\ufe8e\ufebb\ufe94("
      + "\u202aAUC 0.863 (0.803\u20130.934) :\u202c\u061b \ufe8d\ufefb\ufeb3\ufe98\ufeaa\ufecb"
      + "\ufe8e\ufe80 \ufed3\ufef2 \ufe83\ufecb\ufee0\ufef0 \u202a0.23 (0.08\u20130.42) 30\u202c"
      + "\u061b \u202aBrier 0.005\u202c\u061b \ufee3\ufeec\ufe8e\ufead\ufe93 \u202aBrier 0.001"
      + "\u202c\u061b \u202a 39\u202c\ufea3\ufe8e\ufedf\ufe94 \ufe91\ufeaa\ufe80 )\ufe8d\ufedf"
      + "\ufee4\ufeae\ufed3\ufed6\u202c\n\u202b\ufe9f\ufef4\ufee2(\u202a .\u202c\ufe8d\ufef7"
      + "\ufeb7\ufeae\ufec3\ufe94";
  private static final String AFTER =
      "\u202b\u202a .(annual back-test run <run>, backtest_metrics vintage <run>, pooled, own s"
      + "ample); others\u202c\ufe8d\ufefb\ufea7\ufe98\ufe92\ufe8e\ufead\u202c\n\u202b\ufe8d\ufefb"
      + "\ufeb3\ufe98\ufeae\ufe9f\ufe8e\ufecb\ufef2 )\ufee3\ufea0\ufee4\u0651\u064e\ufeca\u202a "
      + "\u060c\u202c\ufe8d\ufedf\ufecc\ufef4\ufee8\ufe94 \ufe8d\ufedf\ufea8\ufe8e\ufebb\ufe94("
      + "\u202aAUC 0.863 (0.803\u20130.934) :\u202c\u061b \ufe8d\ufefb\ufeb3\ufe98\ufeaa\ufecb"
      + "\ufe8e\ufe80 \ufed3\ufef2 \ufe83\ufecb\ufee0\ufef0 \u202a0.23 (0.08\u20130.42) 30\u202c"
      + "\u061b \u202aBrier 0.005\u202c\u061b \ufee3\ufeec\ufe8e\ufead\ufe93 \u202aBrier 0.001"
      + "\u202c\u061b \u202a 39\u202c\ufea3\ufe8e\ufedf\ufe94 \ufe91\ufeaa\ufe80 )\ufe8d\ufedf"
      + "\ufee4\ufeae\ufed3\ufed6 \ufe9f\ufef4\ufee2(\u202a.\u202c\u202c\n\u202b\ufe8d\ufef7"
      + "\ufeb7\ufeae\ufec3\ufe94";

  @Test
  void aParagraphReflowedByOtherRunIdsComparesEqual() {
    assertThat(BEFORE).isNotEqualTo(AFTER);
    assertThat(RunOutputs.withoutLayout(Map.of("A_ar.pdf", AFTER)))
        .isEqualTo(RunOutputs.withoutLayout(Map.of("A_ar.pdf", BEFORE)));
  }

  @Test
  void aChangedFigureOrWordOrderStillDiffers() {
    Map<String, String> before = RunOutputs.withoutLayout(Map.of("A_ar.pdf", BEFORE));
    assertThat(RunOutputs.withoutLayout(Map.of("A_ar.pdf", AFTER.replace("0.863", "0.862")))).isNotEqualTo(before);
    assertThat(RunOutputs.withoutLayout(Map.of("A_ar.pdf", AFTER.replace("Brier 0.005", "Brier 0.001")
        .replaceFirst("Brier 0.001(.*)Brier 0.001", "Brier 0.001$1Brier 0.005")))).isNotEqualTo(before);
  }
}
