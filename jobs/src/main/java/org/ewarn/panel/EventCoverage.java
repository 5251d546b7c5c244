package org.ewarn.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ewarn.ingest.IngestConfig;

/**
 * The country-months where GED events are complete, so that a month without an event is a true
 * zero. Each published source says how far it is complete ({@code coverage} in its manifest,
 * from {@code ingest.sources.<name>.coverage}): a full release for every country over its span,
 * a country extract (CAR, Syria) for its own countries over their spans, a sample for none, since
 * a month without a sampled event says nothing. A few spans, kept on the driver.
 */
record EventCoverage(List<Span> spans) implements Serializable {
  /** Months {@code first} … {@code last} of one country, or of every country when {@code gwCode} is null. */
  record Span(Integer gwCode, int first, int last) implements Serializable {}

  static final EventCoverage NONE = new EventCoverage(List.of());

  EventCoverage {
    spans = List.copyOf(spans);
  }

  /** The spans of one source's events (columns gw_code, date_end) under its coverage kind. */
  static EventCoverage of(Dataset<Row> events, String kind) {
    Column month = Months.index(col("date_end"));
    Dataset<Row> dated = events.where(col("date_end").isNotNull().and(col("gw_code").isNotNull()));
    List<Span> out = new ArrayList<>();
    switch (kind) {
      case IngestConfig.COMPLETE -> {
        Row r = dated.agg(min(month), max(month)).first();
        if (!r.isNullAt(0)) {
          out.add(new Span(null, ((Number) r.get(0)).intValue(), ((Number) r.get(1)).intValue()));
        }
      }
      case IngestConfig.COUNTRIES -> {
        for (Row r : dated.groupBy(col("gw_code").cast("int")).agg(min(month), max(month)).collectAsList()) {
          out.add(new Span(r.getInt(0), ((Number) r.get(1)).intValue(), ((Number) r.get(2)).intValue()));
        }
      }
      case IngestConfig.SAMPLE -> { }
      default -> throw new IllegalArgumentException("coverage '" + kind + "': not one of " + IngestConfig.COVERAGE_KINDS);
    }
    return new EventCoverage(out);
  }

  /**
   * Every published vintage of an event dataset under the coverage its source declared; a vintage
   * published before sources declared one counts as complete (the rule then).
   */
  static EventCoverage ofVintages(org.apache.spark.sql.SparkSession spark, org.ewarn.warehouse.WarehouseView wh, String dataset) {
    EventCoverage all = NONE;
    for (org.ewarn.warehouse.Partition p : wh.partitions(dataset)) {
      String kind = p.manifest().properties().getOrDefault(
          org.ewarn.ingest.IngestAction.COVERAGE_PROPERTY, IngestConfig.COMPLETE);
      all = all.plus(of(org.ewarn.io.SparkMarts.read(spark, p), kind));
    }
    return all;
  }

  EventCoverage plus(EventCoverage other) {
    List<Span> all = new ArrayList<>(spans);
    all.addAll(other.spans);
    return new EventCoverage(all);
  }

  Column contains(Column gwCode, Column month) {
    Column any = lit(false);
    for (Span s : spans) {
      Column inSpan = month.between(s.first(), s.last());
      any = any.or(s.gwCode() == null ? inSpan : gwCode.equalTo(s.gwCode()).and(inSpan));
    }
    return any;
  }

  /** The latest month any span reaches, null when none. */
  Integer last() {
    return spans.stream().map(Span::last).max(Integer::compare).orElse(null);
  }
}
