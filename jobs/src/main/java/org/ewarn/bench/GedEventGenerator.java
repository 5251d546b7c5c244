package org.ewarn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes GED 23.1-schema event files of any size for scale benchmarks, cloned from the real
 * bundled GED extracts: each event copies a real event's conflict, actors, sources and deaths, and
 * takes a new id, a new date (same month and day, another year) and the place (country,
 * coordinates, admin units) of another real event. There is no full global GED in the project, so
 * this is how a 400,000- or 4,000,000-event ingest is measured.
 */
@Command(name = "generate-ged", mixinStandardHelpOptions = true,
    description = "Write GED-schema CSV files cloned from the real bundled GED extracts.")
public final class GedEventGenerator implements Runnable {
  private static final List<String> PLACE = List.of("where_prec", "where_coordinates", "where_description",
      "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region");

  @Option(names = "--events", required = true, description = "Number of events to write.")
  long events;

  @Option(names = "--files", defaultValue = "4", description = "Split into this many files (default ${DEFAULT-VALUE}).")
  int files;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Option(names = "--seed", defaultValue = "20181") long seed;

  @Option(names = "--from", split = ",", description = "Real GED 23.1 files to clone (default: the bundled extracts).")
  List<Path> templates = List.of(Path.of("jobs/data/ucdp/ged-23.1-global-sample.csv.gz"),
      Path.of("jobs/data/ucdp/ged-23.1-central-african-republic.csv.gz"));

  public static void main(String[] args) {
    System.exit(new CommandLine(new GedEventGenerator()).execute(args));
  }

  @Override
  public void run() {
    try {
      generate();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void generate() throws IOException {
    List<String> header = null;
    List<CSVRecord> real = new ArrayList<>();
    for (Path t : templates) {
      try (Reader r = open(t); CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
        if (header == null || p.getHeaderNames().size() > header.size()) {
          header = p.getHeaderNames();
        }
        real.addAll(p.getRecords());
      }
    }
    Files.createDirectories(out);
    SplittableRandom random = new SplittableRandom(seed);
    long perFile = (events + files - 1) / files;
    long written = 0;
    for (int f = 0; f < files && written < events; f++) {
      Path file = out.resolve(String.format("ged-23.1-generated-%02d.csv", f));
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
          CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
        printer.printRecord(header);
        List<String> row = new ArrayList<>(header.size());
        for (long i = 0; i < perFile && written < events; i++, written++) {
          CSVRecord event = real.get(random.nextInt(real.size()));
          CSVRecord place = real.get(random.nextInt(real.size()));
          LocalDate start = LocalDate.parse(event.get("date_start").substring(0, 10));
          LocalDate end = LocalDate.parse(event.get("date_end").substring(0, 10));
          int year = 1989 + random.nextInt(36);
          int shift = year - start.getYear();
          LocalDate newStart = start.plusYears(shift);
          LocalDate newEnd = end.plusYears(shift);
          row.clear();
          for (String column : header) {
            String value;
            if (column.equals("id")) {
              value = Long.toString(1_000_000_000L + written);
            } else if (column.equals("relid")) {
              value = "GEN-" + year + "-" + (1_000_000_000L + written);
            } else if (column.equals("year")) {
              value = Integer.toString(newStart.getYear());
            } else if (column.equals("date_start")) {
              value = newStart.toString();
            } else if (column.equals("date_end")) {
              value = newEnd.toString();
            } else if (PLACE.contains(column)) {
              value = place.isMapped(column) ? place.get(column) : "";
            } else {
              value = event.isMapped(column) ? event.get(column) : "";
            }
            row.add(value);
          }
          printer.printRecord(row);
        }
      }
      System.err.println("wrote " + file);
    }
  }

  private static Reader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
