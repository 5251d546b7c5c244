package org.ewarn.reports;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RenderAction} renders and where.
 *
 * @param warehouseRoot the Parquet warehouse holding the marts: a local path or a Hadoop file system
 *     URI ({@code hdfs://nn:8020/ewarn/warehouse})
 * @param outputRoot published products, a path or URI too; PDFs go to
 *     {@code <outputRoot>/reports/<year>/<edition>/}
 * @param languages language codes (en, zh, fr, es, ru, ar), in output order
 * @param edition risk-mart vintage label to render, or {@code latest}
 * @param year report year; 0 means the year of {@code runDate}
 * @param runDate the date in file names and on the pages
 * @param runId recorded on every page and in the PDF metadata
 * @param model risk model to report, or empty for the only/first model in the mart
 * @param topN the warning threshold: ranks 1..topN are "highest risk"
 * @param codeVersion the code version shown in appendix E
 * @param marts which partitions to read: by default those of the last complete run
 *     ({@code <outputRoot>/latest.json}), so a nightly publishing meanwhile is never mixed in
 */
public record RenderConfig(
    String warehouseRoot,
    String outputRoot,
    List<String> languages,
    String edition,
    int year,
    LocalDate runDate,
    String runId,
    String model,
    int topN,
    String codeVersion,
    MartSource marts) {

  public static final String LATEST = "latest";

  public RenderConfig {
    Objects.requireNonNull(warehouseRoot, "warehouseRoot");
    Objects.requireNonNull(outputRoot, "outputRoot");
    if (warehouseRoot.isBlank() || outputRoot.isBlank()) {
      throw RenderFailure.config("warehouse.root and output.root must name a folder (a path or a URI)");
    }
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
    marts = marts == null ? MartSource.lastRun() : marts;
    if (topN < 1) {
      throw RenderFailure.config("reports.top must be at least 1, got " + topN);
    }
  }

  /** Reads the marts of the last complete run ({@link MartSource#lastRun()}). */
  public RenderConfig(String warehouseRoot, String outputRoot, List<String> languages, String edition, int year,
      LocalDate runDate, String runId, String model, int topN, String codeVersion) {
    this(warehouseRoot, outputRoot, languages, edition, year, runDate, runId, model, topN, codeVersion,
        MartSource.lastRun());
  }

  public RenderConfig withMarts(MartSource source) {
    return new RenderConfig(warehouseRoot, outputRoot, languages, edition, year, runDate, runId, model, topN,
        codeVersion, source);
  }
}
