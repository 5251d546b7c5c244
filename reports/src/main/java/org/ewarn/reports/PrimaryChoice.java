package org.ewarn.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forecast's primary-model choice as values, read back from the {@code risk_forecasts}
 * manifest ({@code primary_model.rule}, {@code primary_model.evidence}), so Appendix A can say it
 * in each language instead of printing the manifest's English sentence. The patterns are those
 * {@code org.ewarn.model.PrimaryModel} writes (jobs module); a manifest in another form parses to
 * empty and the report prints the manifest text as data.
 */
record PrimaryChoice(Rule rule, Evidence evidence) {

  /** {@code margin}, {@code best-auc} or {@code fixed}, with its settings. */
  record Rule(String kind, String defaultModel, List<String> candidates, Double aucMargin, Integer recallK) {}

  /**
   * What the back-test said. {@code kind}: {@code chosen} (figures of the chosen model and why),
   * {@code none} (no annual back-test yet) or {@code nofigures} (the default has no figures).
   * {@code why}: {@code beats}, {@code none}, {@code best} or {@code fixed}.
   */
  record Evidence(String kind, String model, Double auc, Integer recallK, Double recall, Long onsets, Long rows,
      String why, String challenger, String incumbent, Double incumbentAuc, Double incumbentRecall, Double margin,
      Integer candidates, String run, String vintage, List<Other> others) {}

  record Other(String model, Double auc, Double recall) {}

  private static final String NUM = "(-?[0-9.]+|NaN)";
  private static final Pattern MARGIN = Pattern.compile("margin: (\\S+) unless another of \\[(.*)\\] beats its pooled"
      + " back-test AUC by at least " + NUM + " with a recall@(\\d+) at least as high \\(then the best such by AUC\\)");
  private static final Pattern BEST = Pattern.compile(
      "best-auc: the highest pooled back-test AUC among \\[(.*)\\] \\(ties: recall@(\\d+)\\)");
  private static final Pattern FIXED = Pattern.compile("fixed: (\\S+)");
  private static final String RUN = "\\(annual back-test run (\\S+), backtest_metrics vintage (\\S+), pooled, own sample\\)";
  private static final Pattern CHOSEN = Pattern.compile("(\\S+): pooled AUC " + NUM + ", recall@(\\d+) " + NUM
      + " \\((\\d+) onsets in (\\d+) country-years\\); (.*) " + RUN + "(?:; others:(.*))?");
  private static final Pattern WHY_BEATS = Pattern.compile("(\\S+) beats (\\S+) \\(AUC " + NUM + ", recall@\\d+ " + NUM
      + "\\) by at least " + NUM + " in AUC with no lower recall");
  private static final Pattern WHY_NONE = Pattern.compile("no candidate beats (\\S+) by " + NUM
      + " in AUC with no lower recall@\\d+");
  private static final Pattern WHY_BEST = Pattern.compile("highest pooled AUC of (\\d+) back-tested candidates");
  private static final Pattern OTHER = Pattern.compile("(\\S+) AUC " + NUM + " recall@\\d+ " + NUM);
  private static final Pattern NO_BACKTEST = Pattern.compile(
      "no annual back-test published yet: the configured default (\\S+) is used without back-test evidence");
  private static final Pattern NO_FIGURES = Pattern.compile("(\\S+) has no figures in the latest annual back-test "
      + RUN + "(?:: the default is used without evidence)?");

  /** Both manifest strings as values; empty if either is in a form this build does not know. */
  static Optional<PrimaryChoice> parse(String rule, String evidence) {
    Optional<Rule> r = rule(rule);
    Optional<Evidence> e = evidence(evidence);
    return r.isPresent() && e.isPresent() ? Optional.of(new PrimaryChoice(r.get(), e.get())) : Optional.empty();
  }

  static Optional<Rule> rule(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    Matcher m = MARGIN.matcher(t);
    if (m.matches()) {
      return Optional.of(new Rule("margin", m.group(1), list(m.group(2)), number(m.group(3)), Integer.valueOf(m.group(4))));
    }
    m = BEST.matcher(t);
    if (m.matches()) {
      return Optional.of(new Rule("best_auc", null, list(m.group(1)), null, Integer.valueOf(m.group(2))));
    }
    m = FIXED.matcher(t);
    if (m.matches()) {
      return Optional.of(new Rule("fixed", m.group(1), List.of(), null, null));
    }
    return Optional.empty();
  }

  static Optional<Evidence> evidence(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    Matcher m = NO_BACKTEST.matcher(t);
    if (m.matches()) {
      return Optional.of(new Evidence("none", m.group(1), null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, List.of()));
    }
    m = NO_FIGURES.matcher(t);
    if (m.matches()) {
      return Optional.of(new Evidence("nofigures", m.group(1), null, null, null, null, null, null, null, null, null,
          null, null, null, m.group(2), m.group(3), List.of()));
    }
    m = CHOSEN.matcher(t);
    if (!m.matches()) {
      return Optional.empty();
    }
    String whyText = m.group(7);
    String why;
    String challenger = null;
    String incumbent = null;
    Double incAuc = null;
    Double incRecall = null;
    Double margin = null;
    Integer candidates = null;
    Matcher w;
    if (whyText.equals("fixed by configuration")) {
      why = "fixed";
    } else if ((w = WHY_BEATS.matcher(whyText)).matches()) {
      why = "beats";
      challenger = w.group(1);
      incumbent = w.group(2);
      incAuc = number(w.group(3));
      incRecall = number(w.group(4));
      margin = number(w.group(5));
    } else if ((w = WHY_NONE.matcher(whyText)).matches()) {
      why = "none";
      incumbent = w.group(1);
      margin = number(w.group(2));
    } else if ((w = WHY_BEST.matcher(whyText)).matches()) {
      why = "best";
      candidates = Integer.valueOf(w.group(1));
    } else {
      return Optional.empty();
    }
    List<Other> others = new ArrayList<>();
    if (m.group(10) != null) {
      for (String part : m.group(10).split(";")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher o = OTHER.matcher(part.strip());
        if (!o.matches()) {
          return Optional.empty();
        }
        others.add(new Other(o.group(1), number(o.group(2)), number(o.group(3))));
      }
    }
    return Optional.of(new Evidence("chosen", m.group(1), number(m.group(2)), Integer.valueOf(m.group(3)),
        number(m.group(4)), Long.valueOf(m.group(5)), Long.valueOf(m.group(6)), why, challenger, incumbent, incAuc,
        incRecall, margin, candidates, m.group(8), m.group(9), List.copyOf(others)));
  }

  private static List<String> list(String s) {
    return s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).toList();
  }

  private static Double number(String s) {
    return s.equals("NaN") ? null : Double.valueOf(s);
  }
}
