package org.ewarn.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The published files of one report year and edition: {@code <out>/reports/<year>/<edition>/}.
 * Files are never overwritten. Each published PDF is recorded in {@code _renders.json} with the
 * content hash of what produced it (inputs, templates, labels); a re-render with the same hash is a
 * no-op, a different hash becomes the next version ({@code _v02}).
 */
final class Publication {
  static final String LEDGER = "_renders.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One published file. {@code part} is the appendix letter or {@code volume}. */
  record Entry(String file, String part, String language, int version, String contentHash,
      String sha256, int pages, String runId, String runDate) {}

  final Path reportsRoot;
  final Path directory;
  private final List<Entry> entries;

  Publication(Path outputRoot, int year, String edition) {
    if (!edition.matches("[A-Za-z0-9._-]+")) {
      throw RenderFailure.config("edition '" + edition + "' cannot be a folder name");
    }
    this.reportsRoot = outputRoot.toAbsolutePath().normalize().resolve("reports");
    this.directory = reportsRoot.resolve(Integer.toString(year)).resolve(edition);
    this.entries = new ArrayList<>(readLedger(directory.resolve(LEDGER)));
  }

  private static List<Entry> readLedger(Path ledger) {
    if (!Files.isRegularFile(ledger)) {
      return List.of();
    }
    try {
      return JSON.readValue(ledger.toFile(), new TypeReference<List<Entry>>() {});
    } catch (IOException e) {
      throw RenderFailure.io("unreadable ledger " + ledger + ": " + e.getMessage(), e);
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
        .filter(e -> e.contentHash().equals(contentHash) && Files.isRegularFile(directory.resolve(e.file())))
        .isPresent();
  }

  /** Writes the next version of a part, with its {@code .sha256}, and records it. */
  Entry publish(String part, String language, String contentHash, byte[] pdf, int pages,
      String runId, LocalDate runDate) {
    int version = latest(part, language).map(e -> e.version() + 1).orElse(1);
    String name = String.format("%s_%s_%s_v%02d.pdf", part, language, runDate, version);
    Path target = directory.resolve(name);
    String sha = sha256(pdf);
    try {
      Files.createDirectories(directory);
      writeNew(target, pdf);
      writeNew(directory.resolve(name + ".sha256"), (sha + "  " + name + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (FileAlreadyExistsException e) {
      throw RenderFailure.config("refusing to overwrite published file " + e.getFile()
          + ": the ledger " + directory.resolve(LEDGER) + " does not list it; move it away or restore the ledger");
    } catch (IOException e) {
      throw RenderFailure.io("cannot write " + target, e);
    }
    Entry entry = new Entry(name, part, language, version, contentHash, sha, pages, runId, runDate.toString());
    entries.add(entry);
    saveLedger();
    return entry;
  }

  /** Written beside, then moved into place without replacing: readers never see half a file. */
  private static void writeNew(Path target, byte[] bytes) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private void saveLedger() {
    Path ledger = directory.resolve(LEDGER);
    Path tmp = directory.resolve("." + LEDGER + ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), entries);
      Files.move(tmp, ledger, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw RenderFailure.io("cannot write " + ledger, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rewrites {@code reports/index.md} and {@code index.html} from every edition's ledger. */
  Path[] writeIndex(String title) {
    List<Path> ledgers = new ArrayList<>();
    try (DirectoryStream<Path> years = Files.newDirectoryStream(reportsRoot, Files::isDirectory)) {
      for (Path y : years) {
        try (DirectoryStream<Path> editions = Files.newDirectoryStream(y, Files::isDirectory)) {
          for (Path e : editions) {
            if (Files.isRegularFile(e.resolve(LEDGER))) {
              ledgers.add(e.resolve(LEDGER));
            }
          }
        }
      }
    } catch (IOException e) {
      throw RenderFailure.io("cannot list " + reportsRoot, e);
    }
    ledgers.sort(Comparator.comparing(Path::toString).reversed());
    StringBuilder md = new StringBuilder("# " + title + "\n\n");
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
    for (Path ledger : ledgers) {
      Path dir = ledger.getParent();
      String heading = dir.getParent().getFileName() + " — edition " + dir.getFileName();
      String rel = reportsRoot.relativize(dir).toString().replace('\\', '/');
      md.append("## ").append(heading).append("\n\n| file | part | language | version | pages | run | SHA-256 |\n|---|---|---|---|---|---|---|\n");
      html.append("<h2>").append(escape(heading)).append("</h2>\n<table>\n<tr><th>file</th><th>part</th><th>language</th><th>version</th><th>pages</th><th>run</th><th>SHA-256</th></tr>\n");
      List<Entry> list = new ArrayList<>(readLedger(ledger));
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
    Path mdFile = reportsRoot.resolve("index.md");
    Path htmlFile = reportsRoot.resolve("index.html");
    try {
      Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
      Files.writeString(htmlFile, html.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw RenderFailure.io("cannot write the index in " + reportsRoot, e);
    }
    return new Path[] {mdFile, htmlFile};
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
