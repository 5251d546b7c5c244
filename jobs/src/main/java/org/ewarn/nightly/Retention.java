package org.ewarn.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ewarn.io.Warehouse;

/**
 * Keeps the intermediate data of the last N runs. Older runs lose their work folders, leftover
 * warehouse staging and the products no published run and no stage record refers to; published
 * products and warehouse partitions are never removed, and a published run keeps its record.
 */
final class Retention {
  private final Path runsDir;
  private final Path warehouseRoot;
  private final Path outputRoot;
  private final int keepRuns;

  Retention(Path stateDir, Path warehouseRoot, Path outputRoot, int keepRuns) {
    this.runsDir = stateDir.resolve("runs");
    this.warehouseRoot = warehouseRoot;
    this.outputRoot = outputRoot;
    this.keepRuns = keepRuns;
  }

  /** Returns what was removed. {@code stillReferenced}: outputs the stage records point at. */
  List<Path> prune(Collection<String> stillReferenced) {
    List<String> runIds = runIds();
    List<RunRecord> records = new ArrayList<>();
    for (String id : runIds) {
      Path file = runsDir.resolve(id).resolve("run.json");
      if (Files.isRegularFile(file)) {
        records.add(StateFiles.readJson(file, RunRecord.class));
      }
    }
    Set<Path> keep = new HashSet<>();
    stillReferenced.forEach(p -> keep.add(normal(p)));
    for (RunRecord r : records) {
      if ("published".equals(r.status()) && r.outputs() != null) {
        r.outputs().values().forEach(p -> keep.add(normal(p)));
      }
    }
    List<Path> removed = new ArrayList<>();
    int old = Math.max(0, runIds.size() - keepRuns);
    try {
      for (String id : runIds.subList(0, old)) {
        Path runDir = runsDir.resolve(id);
        Path recordFile = runDir.resolve("run.json");
        RunRecord record = Files.isRegularFile(recordFile) ? StateFiles.readJson(recordFile, RunRecord.class) : null;
        if (record != null && record.stages() != null) {
          for (RunRecord.StageReport s : record.stages()) {
            if (!"ran".equals(s.status()) && !"failed".equals(s.status()) || s.outputs() == null) {
              continue;
            }
            for (String out : s.outputs().values()) {
              Path p = normal(out);
              if (p != null && p.startsWith(outputRoot) && !p.equals(outputRoot) && !keep.contains(p) && Files.exists(p)) {
                Warehouse.deleteTree(p);
                removed.add(p);
              }
            }
          }
        }
        Path staging = warehouseRoot.resolve("_staging").resolve(id);
        if (Files.exists(staging)) {
          Warehouse.deleteTree(staging);
          removed.add(staging);
        }
        // hidden staging folders of products a killed run was writing (e.g. .<run-id>.staging)
        if (Files.isDirectory(outputRoot)) {
          List<Path> leftovers;
          try (java.util.stream.Stream<Path> walk = Files.walk(outputRoot, 3)) {
            leftovers = walk.filter(p -> p.getFileName().toString().equals("." + id + ".staging")).toList();
          }
          for (Path leftover : leftovers) {
            Warehouse.deleteTree(leftover);
            removed.add(leftover);
          }
        }
        boolean published = record != null && "published".equals(record.status());
        if (published) {
          try (DirectoryStream<Path> children = Files.newDirectoryStream(runDir)) {
            for (Path child : children) {
              if (!child.getFileName().toString().equals("run.json")) {
                Warehouse.deleteTree(child);
                removed.add(child);
              }
            }
          }
        } else {
          Warehouse.deleteTree(runDir);
          removed.add(runDir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("retention: cannot remove old run data", e);
    }
    return removed;
  }

  /** Run ids sort by start time (see RunIds). */
  private List<String> runIds() {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(runsDir, Files::isDirectory)) {
      children.forEach(c -> ids.add(c.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runsDir, e);
    }
    ids.sort(null);
    return ids;
  }

  private static Path normal(String path) {
    if (path == null || path.contains("://")) {
      return null;
    }
    return Path.of(path).toAbsolutePath().normalize();
  }
}
