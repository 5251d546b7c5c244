package org.ewarn.nightly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * Keeps the intermediate data of the last N runs. Older runs lose their work folders, leftover
 * warehouse staging and the products no published run and no stage record refers to; published
 * products and warehouse partitions are never removed, and a published run keeps its record. Works
 * on any store: outputs are recorded as locations (a plain path on local disk, else a URI).
 */
final class Retention {
  private final Storage state;
  private final Warehouse warehouse;
  private final Storage outputs;
  private final int keepRuns;

  Retention(Storage state, Warehouse warehouse, Storage outputs, int keepRuns) {
    this.state = state;
    this.warehouse = warehouse;
    this.outputs = outputs;
    this.keepRuns = keepRuns;
  }

  /** Returns the locations removed. {@code stillReferenced}: outputs the stage records point at. */
  List<String> prune(Collection<String> stillReferenced) {
    List<String> runIds = runIds();
    Set<String> keep = new HashSet<>();
    stillReferenced.forEach(p -> keep.add(normal(p)));
    for (String id : runIds) {
      record(id).filter(r -> "published".equals(r.status()) && r.outputs() != null)
          .ifPresent(r -> r.outputs().values().forEach(p -> keep.add(normal(p))));
    }
    String outputRoot = outputs.location("");
    List<String> removed = new ArrayList<>();
    int old = Math.max(0, runIds.size() - keepRuns);
    for (String id : runIds.subList(0, old)) {
      String runDir = "runs/" + id;
      RunRecord record = record(id).orElse(null);
      if (record != null && record.stages() != null) {
        for (RunRecord.StageReport s : record.stages()) {
          if (!"ran".equals(s.status()) && !"failed".equals(s.status()) || s.outputs() == null) {
            continue;
          }
          for (String out : s.outputs().values()) {
            String p = normal(out);
            if (p != null && p.startsWith(outputRoot + "/") && !keep.contains(p)) {
              String relative = p.substring(outputRoot.length() + 1);
              if (outputs.exists(relative)) {
                outputs.deleteTree(relative);
                removed.add(p);
              }
            }
          }
        }
      }
      if (warehouse.stagingRuns().contains(id)) {
        warehouse.discardStaging(id);
        removed.add(warehouse.storage().location("_staging/" + id));
      }
      boolean published = record != null && "published".equals(record.status());
      // hidden staging folders of products a killed run was writing (e.g. .<run-id>.staging), and
      // the products of a stage it was killed in after publishing them: never recorded, but named
      // by the run id (backtest/<run id>)
      for (String leftover : find(outputs, "", Set.of("." + id + ".staging", id), 3)) {
        String p = normal(outputs.location(leftover));
        boolean staging = leftover.endsWith(".staging");
        if (staging || !published && keep.stream().noneMatch(k -> k.equals(p) || k.startsWith(p + "/"))) {
          outputs.deleteTree(leftover);
          removed.add(outputs.location(leftover));
        }
      }
      if (published) {
        for (String child : state.list(runDir)) {
          if (!child.equals("run.json")) {
            state.deleteTree(runDir + "/" + child);
            removed.add(state.location(runDir + "/" + child));
          }
        }
      } else {
        state.deleteTree(runDir);
        removed.add(state.location(runDir));
      }
    }
    return removed;
  }

  private Optional<RunRecord> record(String id) {
    return state.readJson("runs/" + id + "/run.json", RunRecord.class);
  }

  /** Entries with one of {@code names} at most {@code depth} levels below {@code dir} (relative locations). */
  private static List<String> find(Storage storage, String dir, Set<String> names, int depth) {
    List<String> found = new ArrayList<>();
    for (String child : storage.list(dir)) {
      String relative = dir.isEmpty() ? child : dir + "/" + child;
      if (names.contains(child)) {
        found.add(relative);
      } else if (depth > 1 && storage.info(relative).map(Storage.Info::directory).orElse(false)) {
        found.addAll(find(storage, relative, names, depth - 1));
      }
    }
    return found;
  }

  /** Run ids sort by start time (see RunIds). */
  private List<String> runIds() {
    List<String> ids = new ArrayList<>();
    for (String child : state.list("runs")) {
      if (state.info("runs/" + child).map(Storage.Info::directory).orElse(false)) {
        ids.add(child);
      }
    }
    ids.sort(null);
    return ids;
  }

  /** A recorded location as the store shows it: a local path absolute and normalised, a URI as is. */
  private static String normal(String location) {
    if (location == null) {
      return null;
    }
    return org.ewarn.config.Settings.isUri(location) ? location.replaceFirst("/+$", "")
        : java.nio.file.Path.of(location).toAbsolutePath().normalize().toString();
  }
}
