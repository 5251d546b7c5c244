package org.ewarn.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ewarn.warehouse.Manifest;

/**
 * Appendix E: data and methods, all read from manifests: the run, every mart read and its
 * upstream, sources with checksums, model specifications, the back-test protocol, the monthly
 * outcome definitions and data coverage (panel_country_month), and citations.
 */
final class DataMethodsAppendix {
  /** Read for its manifest only: the panel itself is far larger than anything the report needs. */
  static final String MONTHLY_PANEL = "panel_country_month";

  private final Sections s;
  private final Language lang;

  DataMethodsAppendix(Sections s, Language lang) {
    this.s = s;
    this.lang = lang;
  }

  Sections.Filled fill() {
    List<Manifest> manifests = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String d : Appendix.E.datasets) {
      s.marts.mart(d).ifPresent(m -> addWithUpstream(m.manifest(), d, m.vintage(), manifests, seen));
    }
    List<Map<String, ?>> martRows = new ArrayList<>();
    Map<String, String> sources = new TreeMap<>();
    Map<String, String> models = new TreeMap<>();
    Map<String, String> protocol = new TreeMap<>();
    Map<String, String> citations = new TreeMap<>();
    for (Manifest m : manifests) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dataset", m.dataset());
      row.put("vintage", m.vintage());
      row.put("stage", m.stage());
      row.put("run_id", m.runId());
      row.put("code_version", shortVersion(m.codeVersion()));
      row.put("finished", Sections.minute(m.finished()));
      Long count = m.counts().getOrDefault("rows", m.counts().values().stream().findFirst().orElse(null));
      row.put("rows", count == null ? "" : count.toString());
      martRows.add(row);
      for (Manifest.InputFile in : m.inputs()) {
        // a local path or a URI: the file's name is after the last '/'
        String name = in.path().substring(in.path().lastIndexOf('/') + 1);
        sources.putIfAbsent(name, lang.label("e.source", name, in.bytes(),
            in.sha256() == null ? "–" : in.sha256().substring(0, Math.min(16, in.sha256().length()))));
      }
      m.properties().forEach((k, v) -> {
        if (k.startsWith("model.")) {
          String id = k.substring(6);
          models.put(id.equals("outcome") ? id : ModelNames.label(id, lang) + " (" + id + ")", v);
        } else if (k.startsWith("protocol.")) {
          protocol.put(k.substring(9), v);
        } else if (k.startsWith("citation.")) {
          citations.put(k.substring(9), v);
        }
      });
    }
    Optional<Manifest> panel = s.marts.latestManifest(MONTHLY_PANEL);
    Map<String, String> outcomes = new TreeMap<>();
    Map<String, String> coverage = new TreeMap<>();
    panel.ifPresent(m -> m.properties().forEach((k, v) -> {
      if (k.startsWith("outcome.")) {
        outcomes.put(k.substring(8), v);
      } else if (k.startsWith("coverage.")) {
        coverage.put(k.substring(9), v);
      }
    }));
    String none = lang.label("e.none");
    String unavailable = panel.isEmpty()
        ? lang.label("e.monthly.unpublished", MONTHLY_PANEL)
        : lang.label("e.monthly.unrecorded", MONTHLY_PANEL, panel.get().vintage());

    List<Map<String, ?>> blocks = new ArrayList<>();
    blocks.add(Blocks.text(lang.label("e.run"), lang.label("e.run.text", s.config.runId(),
        s.config.runDate().toString(), s.config.codeVersion(), s.marts.edition)));
    blocks.add(Blocks.rows("marts", lang.label("e.marts"), martRows));
    blocks.add(Blocks.text(lang.label("e.sources"), sources.isEmpty() ? none : String.join("\n", sources.values())));
    blocks.add(Blocks.text(lang.label("e.models"), lines(models, none)));
    blocks.add(Blocks.text(lang.label("e.protocol"), lines(protocol, none)));
    blocks.add(Blocks.text(lang.label("e.outcomes"), outcomes.isEmpty() ? unavailable : lines(outcomes, none)));
    blocks.add(Blocks.text(lang.label("e.coverage"), coverage.isEmpty() ? unavailable : lines(coverage, none)));
    blocks.add(Blocks.text(lang.label("e.citations"), citations.isEmpty() ? none : String.join("\n", citations.values())));
    List<String> vintages = s.vintages(Appendix.E);
    panel.ifPresent(m -> vintages.add(MONTHLY_PANEL + " " + m.vintage()));
    Map<String, Object> p = s.common(lang, vintages);
    return new Sections.Filled(Appendix.E, p, blocks, null, vintages);
  }

  private static String shortVersion(String v) {
    return v == null ? "" : v.length() > 14 && v.matches("[0-9a-f]{40}.*") ? v.substring(0, 12) + v.substring(40) : v;
  }

  private static String lines(Map<String, String> entries, String none) {
    if (entries.isEmpty()) {
      return none;
    }
    StringBuilder b = new StringBuilder();
    entries.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
    return b.toString().strip();
  }

  /** Follows manifests' upstream entries, each read once. */
  private void addWithUpstream(Manifest m, String dataset, String vintage, List<Manifest> out, Set<String> seen) {
    if (!seen.add(dataset + "@" + vintage)) {
      return;
    }
    out.add(m);
    for (String up : m.upstream()) {
      s.marts.upstream(up).ifPresent(u -> addWithUpstream(u.manifest(), u.dataset(), u.vintage(), out, seen));
    }
  }
}
