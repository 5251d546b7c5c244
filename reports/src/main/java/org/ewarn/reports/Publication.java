package org.ewarn.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.ewarn.warehouse.Checksums;
import org.ewarn.warehouse.Storage;

/**
 * The published files of one report year and edition: {@code <out>/reports/<year>/<edition>/}, on
 * the output root's store (local disk, HDFS, an object store). Files are never overwritten. Each
 * published PDF is recorded in {@code _renders.json} with the content hash of what produced it
 * (inputs, templates, labels); a re-render with the same hash is a no-op, a different hash becomes
 * the next version ({@code _v02}).
 *
 * <p>A file is published in three steps, so that a run killed at any moment is completed by the
 * next one with the names an uninterrupted run would have used: the ledger first lists the entry,
 * then the PDF is created, then its {@code .sha256}, which marks the entry complete. An entry whose
 * {@code .sha256} is absent is a killed publish: on opening, its PDF (if it got that far) is removed
 * and the entry dropped, and the render writes it again under the same version.
 */
final class Publication {
  static final String LEDGER = "_renders.json";
  static final String REPORTS = "reports";
  /** Held by a render for its whole run, below the output root. */
  static final String LOCK = "_locks/render.lock";

  /** One published file. {@code part} is the appendix letter or {@code volume}. */
  record Entry(String file, String part, String language, int version, String contentHash,
      String sha256, int pages, String runId, String runDate) {}

  private final Storage outputs;
  /** {@code reports/<year>/<edition>}, below the output root. */
  private final String folder;
  private final List<Entry> entries;

  Publication(Storage outputs, int year, String edition) {
    if (!edition.matches("[A-Za-z0-9._-]+")) {
      throw RenderFailure.config("edition '" + edition + "' cannot be a folder name");
    }
    this.outputs = outputs;
    this.folder = REPORTS + "/" + year + "/" + edition;
    this.entries = new ArrayList<>(readLedger(folder + "/" + LEDGER));
    dropInterrupted();
  }

  /** Entries the ledger lists whose {@code .sha256} was never written: undone, see the class comment. */
  private void dropInterrupted() {
    List<Entry> interrupted = entries.stream()
        .filter(e -> !outputs.exists(folder + "/" + e.file() + ".sha256"))
        .toList();
    if (interrupted.isEmpty()) {
      return;
    }
    try {
      for (Entry e : interrupted) {
        outputs.deleteTree(folder + "/" + e.file());
      }
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("cannot remove the PDF of an interrupted render in " + directory(), e);
    }
    entries.removeAll(interrupted);
    saveLedger();
  }

  /** What the ledger lists, once the entries of an interrupted render are dropped. */
  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Where the edition's files are: a plain path on local disk, else a URI. */
  String directory() {
    return outputs.location(folder);
  }

  /** Where one published file of the edition is. */
  String location(String file) {
    return outputs.location(folder + "/" + file);
  }

  private List<Entry> readLedger(String ledger) {
    try {
      return outputs.readJson(ledger, new TypeReference<List<Entry>>() {}).orElse(List.of());
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("unreadable ledger " + outputs.location(ledger) + ": " + e.getCause().getMessage(), e);
    }
  }

  /** The latest published version of a part in a language, if its file is still there. */
  Optional<Entry> latest(String part, String language) {
    return entries.stream()
        .filter(e -> e.part().equals(part) && e.language().equals(language))
        .max(Comparator.comparingInt(Entry::version));
  }

  boolean isCurrent(String part, String language, String contentHash) {
    return latest(part, language)
        .filter(e -> e.contentHash().equals(contentHash) && outputs.exists(folder + "/" + e.file()))
        .isPresent();
  }

  /**
   * Records the next version of a part, then writes it and its {@code .sha256}. Each file is
   * created whole and only if absent, so a reader never sees half a PDF and none is overwritten.
   */
  Entry publish(String part, String language, String contentHash, byte[] pdf, int pages,
      String runId, LocalDate runDate) {
    int version = latest(part, language).map(e -> e.version() + 1).orElse(1);
    String name = String.format("%s_%s_%s_v%02d.pdf", part, language, runDate, version);
    for (String file : List.of(name, name + ".sha256")) {
      // checked before the ledger lists the name, since an entry without .sha256 is undone on opening
      if (outputs.exists(folder + "/" + file)) {
        throw refusal(file);
      }
    }
    String sha = Checksums.sha256(pdf);
    Entry entry = new Entry(name, part, language, version, contentHash, sha, pages, runId, runDate.toString());
    entries.add(entry);
    saveLedger();
    writeNew(name, pdf);
    writeNew(name + ".sha256", (sha + "  " + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return entry;
  }

  private void writeNew(String file, byte[] bytes) {
    boolean created;
    try {
      created = outputs.createNew(folder + "/" + file, bytes);
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("cannot write " + location(file), e);
    }
    if (!created) {
      throw refusal(file);
    }
  }

  private RenderFailure refusal(String file) {
    return RenderFailure.config("refusing to overwrite published file " + location(file)
        + ": the ledger " + location(LEDGER) + " does not list it; move it away or restore the ledger");
  }

  private void saveLedger() {
    try {
      outputs.writeJson(folder + "/" + LEDGER, entries);
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("cannot write " + location(LEDGER), e);
    }
  }

  /**
   * Rewrites {@code reports/index.md} and {@code index.html} from every edition's ledger; returns
   * their locations.
   */
  String[] writeIndex(String title) {
    // "<year>/<edition>" of every edition with a ledger
    List<String> editions = new ArrayList<>();
    try {
      for (String year : outputs.list(REPORTS)) {
        for (String edition : outputs.list(REPORTS + "/" + year)) {
          if (outputs.exists(REPORTS + "/" + year + "/" + edition + "/" + LEDGER)) {
            editions.add(year + "/" + edition);
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("cannot list " + outputs.location(REPORTS), e);
    }
    editions.sort(Comparator.reverseOrder());
    StringBuilder md = new StringBuilder("# " + title + "\n\n");
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
    for (String rel : editions) {
      String heading = rel.substring(0, rel.indexOf('/')) + " — edition " + rel.substring(rel.indexOf('/') + 1);
      md.append("## ").append(heading).append("\n\n| file | part | language | version | pages | run | SHA-256 |\n|---|---|---|---|---|---|---|\n");
      html.append("<h2>").append(escape(heading)).append("</h2>\n<table>\n<tr><th>file</th><th>part</th><th>language</th><th>version</th><th>pages</th><th>run</th><th>SHA-256</th></tr>\n");
      List<Entry> list = new ArrayList<>(readLedger(REPORTS + "/" + rel + "/" + LEDGER));
      list.sort(Comparator.comparing(Entry::language).thenComparing(Entry::part).thenComparing(Entry::version));
      for (Entry e : list) {
        String link = rel + "/" + e.file();
        md.append("| [").append(e.file()).append("](").append(link).append(") | ").append(e.part())
            .append(" | ").append(e.language()).append(" | ").append(e.version()).append(" | ")
            .append(e.pages()).append(" | ").append(e.runId()).append(" | `").append(e.sha256(), 0, 16)
            .append("…` |\n");
        html.append("<tr><td><a href=\"").append(escape(link)).append("\">").append(escape(e.file()))
            .append("</a></td><td>").append(escape(e.part())).append("</td><td>").append(escape(e.language()))
            .append("</td><td>").append(e.version()).append("</td><td>").append(e.pages())
            .append("</td><td>").append(escape(e.runId())).append("</td><td><code>").append(e.sha256())
            .append("</code></td></tr>\n");
      }
      md.append('\n');
      html.append("</table>\n");
    }
    html.append("</body></html>\n");
    try {
      outputs.replace(REPORTS + "/index.md", md.toString().getBytes(StandardCharsets.UTF_8));
      outputs.replace(REPORTS + "/index.html", html.toString().getBytes(StandardCharsets.UTF_8));
    } catch (UncheckedIOException e) {
      throw RenderFailure.io("cannot write the index in " + outputs.location(REPORTS), e);
    }
    return new String[] {outputs.location(REPORTS + "/index.md"), outputs.location(REPORTS + "/index.html")};
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
