package org.ewarn.reports;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.RunLock;
import org.ewarn.warehouse.Snapshot;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.warehouse.WarehouseFailure;
import org.ewarn.warehouse.WarehouseView;

/**
 * Renders the annual report appendices A–E for each language from the published marts, publishes
 * each as a versioned PDF (never overwriting) plus one volume per language, and rewrites the index.
 * Appendices whose inputs, templates and labels are unchanged since their last published version
 * are not re-rendered. Every file is read and written through the warehouse module, so the
 * warehouse and the output root may be on any Hadoop file system.
 */
public final class RenderAction {
  /** Bump when drawing code changes what the same inputs look like: forces new versions. */
  static final String FORMAT_VERSION = "1";
  static final String VOLUME = "volume";

  private final RenderConfig config;

  static {
    ClasspathOnly.ensure();
  }

  public RenderAction(RenderConfig config) {
    this.config = config;
  }

  public RenderResult execute() {
    try {
      return render();
    } catch (WarehouseFailure f) {
      // a missing or damaged partition (the message names dataset and partition): fix the data
      if (f.kind() == WarehouseFailure.Kind.MISSING || f.kind() == WarehouseFailure.Kind.DAMAGED) {
        throw RenderFailure.data(f.getMessage());
      }
      if (f.kind() == WarehouseFailure.Kind.LOCKED) {
        throw RenderFailure.locked(f.getMessage());
      }
      throw f;
    } catch (UncheckedIOException e) {
      throw RenderFailure.io(e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
  }

  private RenderResult render() {
    Warehouse warehouse = Warehouse.open(config.warehouseRoot());
    Storage outputs = Storage.open(config.outputRoot());
    WarehouseView view = config.marts().view(warehouse, outputs);
    List<String> newer = newerThan(view, warehouse, java.util.Arrays.stream(Appendix.values())
        .flatMap(a -> a.datasets.stream()).toList());
    if (!newer.isEmpty()) {
      // a drafter who ran a stage by hand after the nightly would otherwise wonder why it is missing
      System.err.println("ewarn render: rendering " + view.describe() + "; not read, published after it: "
          + String.join(", ", newer) + " (--set reports.marts=live renders the newest partitions)");
    }
    Marts marts = new Marts(view, config.edition());
    Sections sections = new Sections(marts, config);
    int year = config.year() == 0 ? config.runDate().getYear() : config.year();
    // Two renders of one output root would each rewrite the ledger and drop the other's entries.
    try (RunLock lock = outputs.lock(Publication.LOCK, "ewarn render", RunLock.Policy.DEFAULT)) {
      return render(view, marts, sections, new Publication(outputs, year, marts.edition));
    }
  }

  /** One language's decisions, taken from the ledger before anything is published. */
  private record Plan(Language lang, Map<Appendix, String> hashes, Set<Appendix> current, String volumeHash,
      boolean volumeCurrent) {
    boolean allCurrent() {
      return volumeCurrent && current.size() == hashes.size();
    }
  }

  /** One language filled and exported: the PDFs of its changed appendices and of its volume. */
  private record Prepared(Map<Appendix, byte[]> pdfs, Map<Appendix, Integer> pages, byte[] volume, int volumePages,
      List<String> notes) {}

  private RenderResult render(WarehouseView view, Marts marts, Sections sections, Publication publication) {
    Map<Appendix, Map<String, String>> fingerprints = new EnumMap<>(Appendix.class);
    for (Appendix a : Appendix.values()) {
      fingerprints.put(a, marts.fingerprints(a.datasets, a == Appendix.E));
    }
    fingerprints.get(Appendix.E).put(DataMethodsAppendix.MONTHLY_PANEL + " manifest",
        marts.manifestFingerprint(DataMethodsAppendix.MONTHLY_PANEL));
    List<Plan> plans = new ArrayList<>();
    for (String code : config.languages()) {
      Language lang = Language.of(code);
      Map<Appendix, String> hashes = new EnumMap<>(Appendix.class);
      StringBuilder volumeKey = new StringBuilder(VOLUME);
      for (Appendix a : Appendix.values()) {
        String h = contentHash(a, lang, sections.model(), marts.edition, fingerprints.get(a));
        hashes.put(a, h);
        volumeKey.append(h);
      }
      String volumeHash = Checksums.sha256(volumeKey.toString().getBytes(StandardCharsets.UTF_8));
      Set<Appendix> current = EnumSet.noneOf(Appendix.class);
      hashes.forEach((a, h) -> {
        if (publication.isCurrent(a.name(), lang.code(), h)) {
          current.add(a);
        }
      });
      plans.add(new Plan(lang, hashes, current, volumeHash, publication.isCurrent(VOLUME, lang.code(), volumeHash)));
    }

    // Filling and exporting is CPU work on read-only marts, so languages are prepared side by side;
    // publishing (the ledger) stays on this thread, in the configured order, so the ledger, the
    // versions and the result lists are what a one-thread render gives.
    List<Plan> toRender = plans.stream().filter(p -> !p.allCurrent()).toList();
    int threads = Math.max(1, Math.min(toRender.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ewarn-render");
      t.setDaemon(true);
      return t;
    });
    Map<Language, Future<Prepared>> prepared = new HashMap<>();
    toRender.forEach(p -> prepared.put(p.lang(), pool.submit(() -> prepare(p, sections, marts))));
    List<String> written = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Map<String, Integer> pages = new LinkedHashMap<>();
    Set<String> notes = new LinkedHashSet<>();
    long started = System.nanoTime();
    int done = 0;
    try {
      for (Plan plan : plans) {
        Language lang = plan.lang();
        if (plan.allCurrent()) {
          for (Appendix a : Appendix.values()) {
            unchanged.add(published(publication, a.name(), lang));
          }
          unchanged.add(published(publication, VOLUME, lang));
          continue;
        }
        Prepared r = await(prepared.get(lang));
        notes.addAll(r.notes());
        for (Appendix a : Appendix.values()) {
          if (plan.current().contains(a)) {
            unchanged.add(published(publication, a.name(), lang));
            continue;
          }
          Publication.Entry e = publication.publish(a.name(), lang.code(), plan.hashes().get(a), r.pdfs().get(a),
              r.pages().get(a), config.runId(), config.runDate());
          written.add(publication.location(e.file()));
          pages.put(e.file(), e.pages());
        }
        if (plan.volumeCurrent()) {
          unchanged.add(published(publication, VOLUME, lang));
        } else {
          Publication.Entry e = publication.publish(VOLUME, lang.code(), plan.volumeHash(), r.volume(), r.volumePages(),
              config.runId(), config.runDate());
          written.add(publication.location(e.file()));
          pages.put(e.file(), e.pages());
        }
        done++;
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf(Locale.ROOT, "ewarn render: %s published (%d/%d languages, %.0f s%s)%n", lang.code(), done,
            toRender.size(), seconds, done < toRender.size()
                ? String.format(Locale.ROOT, ", about %.0f s left", seconds / done * (toRender.size() - done)) : "");
      }
    } finally {
      pool.shutdownNow();
    }
    String[] index = publication.writeIndex("ewarn report appendices");
    return new RenderResult(marts.edition, publication.directory(), written, unchanged, pages,
        index[0], index[1], List.copyOf(notes), view.describe());
  }

  /** The location of the current version of a file the render leaves unchanged. */
  private static String published(Publication publication, String file, Language lang) {
    return publication.location(publication.latest(file, lang.code()).orElseThrow().file());
  }

  /** Every appendix filled (the volume needs them all), the changed ones and the volume exported. */
  private Prepared prepare(Plan plan, Sections sections, Marts marts) {
    Language lang = plan.lang();
    List<JasperPrint> prints = new ArrayList<>();
    List<String> vintages = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<Appendix, byte[]> pdfs = new EnumMap<>(Appendix.class);
    Map<Appendix, Integer> pageCounts = new EnumMap<>(Appendix.class);
    for (Appendix a : Appendix.values()) {
      Sections.Filled filled = sections.fill(a, lang);
      if (filled.noData() != null) {
        // The summary line is for operators: English, once per appendix.
        notes.add(a.name() + ": " + (lang.code().equals("en") ? filled.noData()
            : sections.fill(a, Language.of("en")).noData()));
      }
      filled.vintages().stream().filter(v -> !vintages.contains(v)).forEach(vintages::add);
      JasperPrint print = fill(filled, lang);
      prints.add(print);
      if (!plan.current().contains(a)) {
        pdfs.put(a, PdfOutput.export(List.of(print), metadata(lang, lang.label(a.titleKey), filled.vintages(),
            marts.edition)));
        pageCounts.put(a, print.getPages().size());
      }
    }
    byte[] volume = plan.volumeCurrent() ? null
        : PdfOutput.export(prints, metadata(lang, lang.label("report.volume"), vintages, marts.edition));
    return new Prepared(pdfs, pageCounts, volume, prints.stream().mapToInt(p -> p.getPages().size()).sum(), notes);
  }

  /** A prepared language; its failure is rethrown as it was (a RenderFailure keeps its kind). */
  private static Prepared await(Future<Prepared> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("rendering failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rendering", e);
    }
  }

  /**
   * Of {@code datasets}, those whose newest published partition a run's view does not read
   * (published by hand after the last nightly, say), as "dataset/vintage=v"; none for the live
   * warehouse.
   */
  static List<String> newerThan(WarehouseView view, Warehouse live, Collection<String> datasets) {
    if (!(view instanceof Snapshot)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String dataset : new java.util.TreeSet<>(datasets)) {
      Optional<Partition> newest = live.latest(dataset);
      if (newest.isPresent() && !newest.equals(view.latest(dataset))) {
        out.add(newest.get().id());
      }
    }
    return out;
  }

  private PdfOutput.Metadata metadata(Language lang, String title, List<String> vintages, String edition) {
    return new PdfOutput.Metadata(
        title + " — " + edition,
        lang.label("subtitle", edition, ""),
        lang.label("report.author"),
        "ewarn; edition " + edition + "; run " + config.runId() + "; " + String.join("; ", vintages),
        lang.code());
  }

  private JasperPrint fill(Sections.Filled filled, Language lang) {
    Map<String, Object> parameters = new HashMap<>(filled.parameters());
    parameters.put(JRParameter.REPORT_RESOURCE_BUNDLE, lang.labels());
    parameters.put(JRParameter.REPORT_LOCALE, lang.locale());
    try {
      return JasperFillManager.fillReport(Templates.compiled(filled.appendix().template, lang.rightToLeft()), parameters,
          new JRMapCollectionDataSource(filled.rows()));
    } catch (JRException e) {
      throw new IllegalStateException("filling appendix " + filled.appendix() + " (" + lang.code()
          + ") failed: " + e.getMessage(), e);
    }
  }

  /**
   * What decides "unchanged": inputs (mart bytes), templates, styles, fonts, labels and settings —
   * not the PDF, whose bytes embed timestamps and document ids.
   */
  private String contentHash(Appendix a, Language lang, String model, String edition, Map<String, String> marts) {
    StringBuilder b = new StringBuilder();
    b.append("format=").append(FORMAT_VERSION).append('\n')
        .append("appendix=").append(a).append('\n')
        .append("language=").append(lang.code()).append('\n')
        .append("edition=").append(edition).append('\n')
        .append("model=").append(model).append('\n')
        .append("top=").append(config.topN()).append('\n');
    if (a == Appendix.E) {
      b.append("code=").append(config.codeVersion()).append('\n');
    }
    marts.forEach((k, v) -> b.append("mart ").append(k).append('=').append(v).append('\n'));
    for (String resource : List.of(Templates.DIR + a.template + ".jrxml", Templates.DIR + "styles.jrtx",
        Templates.DIR + "styles-rtl.jrtx", "/org/ewarn/reports/fonts/fonts.xml",
        "/org/ewarn/reports/labels.properties",
        "/org/ewarn/reports/labels" + (lang.code().equals("en") ? "" : "_" + lang.code()) + ".properties")) {
      b.append(resource).append('=').append(Checksums.sha256(Templates.bytes(resource))).append('\n');
    }
    return Checksums.sha256(b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
