package org.ewarn.reports;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RenderAction} renders and where.
 *
 * @param warehouseRoot the Parquet warehouse holding the marts
 * @param outputRoot published products; PDFs go to {@code <outputRoot>/reports/<year>/<edition>/}
 * @param languages language codes (en, zh, fr, es, ru, ar), in output order
 * @param edition risk-mart vintage label to render, or {@code latest}
 * @param year report year; 0 means the year of {@code runDate}
 * @param runDate the date in file names and on the pages
 * @param runId recorded on every page and in the PDF metadata
 * @param model risk model to report, or empty for the only/first model in the mart
 * @param topN the warning threshold: ranks 1..topN are "highest risk"
 * @param codeVersion the code version shown in appendix E
 */
public record RenderConfig(
    Path warehouseRoot,
    Path outputRoot,
    List<String> languages,
    String edition,
    int year,
    LocalDate runDate,
    String runId,
    String model,
    int topN,
    String codeVersion) {

  public static final String LATEST = "latest";

  public RenderConfig {
    Objects.requireNonNull(warehouseRoot, "warehouseRoot");
    Objects.requireNonNull(outputRoot, "outputRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(runId, "runId");
    languages = List.copyOf(languages);
    if (languages.isEmpty()) {
      throw RenderFailure.config("reports.languages is empty: expected e.g. [en, zh]");
    }
    for (String lang : languages) {
      Language.of(lang);
    }
    edition = edition == null || edition.isBlank() ? LATEST : edition;
    model = model == null ? "" : model;
    codeVersion = codeVersion == null ? "unknown" : codeVersion;
    if (topN < 1) {
      throw RenderFailure.config("reports.top must be at least 1, got " + topN);
    }
  }
}
