package org.ewarn.reports;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ewarn.warehouse.RunPointer;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.warehouse.WarehouseView;

/**
 * Which partitions of the warehouse a render reads, so that a render running while a nightly run
 * publishes sees the previous complete run or the new one, never a mix of the two:
 *
 * <ul>
 *   <li>{@link Kind#LAST_RUN} (the default, {@code reports.marts = last-run}): the marts of the run
 *       {@code <output.root>/latest.json} names, resolved when the render starts (the live
 *       warehouse if there is no {@code latest.json} yet);
 *   <li>{@link Kind#RUN}: the marts of a run in progress, given by its outputs so far and the time
 *       they were taken (the nightly's own render stage, before {@code latest.json} is switched);
 *   <li>{@link Kind#LIVE} ({@code reports.marts = live}): each mart's newest partition, read one by
 *       one; for a drafter who runs stages by hand with no nightly publishing meanwhile.
 * </ul>
 *
 * In a run's view (a warehouse {@link org.ewarn.warehouse.Snapshot}) a mart the run produced is read
 * at the partitions it names (however many newer ones appear), and every other partition exists
 * only if its manifest finished by {@code asOf}.
 *
 * @param kind where the view comes from
 * @param label the run, for messages and provenance ({@link Kind#RUN} only)
 * @param asOf partitions finished later are not there ({@link Kind#RUN} only)
 * @param outputs the run's outputs, name to location; partition folders of the warehouse pin their
 *     mart ({@link Kind#RUN} only)
 */
public record MartSource(Kind kind, String label, Instant asOf, Map<String, String> outputs) {
  public enum Kind { LAST_RUN, RUN, LIVE }

  public static final String LAST_RUN_SETTING = "last-run";
  public static final String LIVE_SETTING = "live";

  public MartSource {
    Objects.requireNonNull(kind, "kind");
    outputs = outputs == null ? Map.of() : Map.copyOf(new TreeMap<>(outputs));
    if (kind == Kind.RUN) {
      Objects.requireNonNull(asOf, "asOf");
      Objects.requireNonNull(label, "label");
    }
  }

  public static MartSource lastRun() {
    return new MartSource(Kind.LAST_RUN, null, null, Map.of());
  }

  public static MartSource live() {
    return new MartSource(Kind.LIVE, null, null, Map.of());
  }

  public static MartSource run(String label, Instant asOf, Map<String, String> outputs) {
    return new MartSource(Kind.RUN, label, asOf, outputs);
  }

  /** The {@code reports.marts} setting: {@code last-run} or {@code live}. */
  public static MartSource setting(String value) {
    if (value == null || value.isBlank() || value.equals(LAST_RUN_SETTING)) {
      return lastRun();
    }
    if (value.equals(LIVE_SETTING)) {
      return live();
    }
    throw RenderFailure.config("reports.marts must be " + LAST_RUN_SETTING + " (the marts of the run latest.json"
        + " names) or " + LIVE_SETTING + " (each mart's newest partition), got '" + value + "'");
  }

  /**
   * The view of {@code warehouse} this source names; {@code outputs} is the output root, where
   * {@code latest.json} is read once, now ({@link Kind#LAST_RUN}).
   */
  WarehouseView view(Warehouse warehouse, Storage outputs) {
    return switch (kind) {
      case LIVE -> warehouse;
      case RUN -> warehouse.snapshot(this.outputs, asOf, label);
      case LAST_RUN -> {
        String file = outputs.location(RunPointer.FILE);
        RunPointer pointer;
        try {
          pointer = RunPointer.read(outputs).orElse(null);
        } catch (UncheckedIOException e) {
          throw RenderFailure.data("unreadable " + file + ": " + e.getCause().getMessage()
              + "; it says which run's marts to render (or set reports.marts = live)");
        }
        if (pointer == null) {
          yield warehouse;
        }
        Instant published;
        try {
          published = pointer.publishedAt();
        } catch (DateTimeParseException | NullPointerException e) {
          throw RenderFailure.data(file + " has no valid \"published\" time: '" + pointer.published() + "'");
        }
        // the label names the pointer file, so a message says where the run's view came from
        yield warehouse.snapshot(pointer.outputs(), published, "run " + pointer.runId() + " (" + file + ")");
      }
    };
  }
}
