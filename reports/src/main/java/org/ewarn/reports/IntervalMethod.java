package org.ewarn.reports;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forecast's interval method as values, read back from the {@code risk_forecasts} manifest
 * ({@code interval.method}), so Appendix A can state it in each language instead of printing the
 * manifest's English sentence. The pattern is the one {@code org.ewarn.model.ForecastAction}
 * writes (jobs module); a manifest in another form parses to empty and the report prints its text
 * as data, as {@link PrimaryChoice} does for the primary-model rule.
 */
record IntervalMethod(int replicates, double lambda, String model, int horizonYears) {

  private static final Pattern BOOTSTRAP = Pattern.compile("percentile bootstrap over training countries: (\\d+)"
      + " replicates, each drawing countries with replacement with all their country-years and refitting the elastic"
      + " net at its cross-validated lambda ([0-9.eE+-]+); (\\S+), horizon (\\d+) years only");

  static Optional<IntervalMethod> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = BOOTSTRAP.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new IntervalMethod(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), m.group(3),
        Integer.parseInt(m.group(4))));
  }
}
