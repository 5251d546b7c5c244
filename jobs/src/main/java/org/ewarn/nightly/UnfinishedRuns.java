package org.ewarn.nightly;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ewarn.warehouse.Partition;
import org.ewarn.warehouse.Storage;
import org.ewarn.warehouse.Warehouse;

/**
 * Earlier nightly runs that stopped (killed: still "running"; or failed) and what they left. A
 * stage that labels its partitions with the run id (the back-test: each run's evaluation is a
 * record of its own) cannot find them again on a restart, which runs under a new id; without this
 * the warehouse would keep the stopped run's half of the stage beside the restart's whole.
 * Partitions labelled by their content (ingest, panel, forecast editions) are found and reused by
 * the restart and are left alone.
 */
final class UnfinishedRuns {
  private final Storage state;
  private final Warehouse warehouse;

  UnfinishedRuns(Storage state, Warehouse warehouse) {
    this.state = state;
    this.warehouse = warehouse;
  }

  /**
   * Removes the partitions that stopped runs other than {@code currentRun} published in
   * {@code stage} under their run ids, before the stage runs again; returns their ids. Safe: a
   * stage's outputs are recorded (and can be named by {@code latest.json}) only once it finished,
   * and a run that finished the stage is passed over.
   */
  List<String> discardPartialOutputs(String stage, String currentRun, Optional<StageLedger.Entry> lastSuccess) {
    List<String> removed = new ArrayList<>();
    for (String runId : state.list("runs")) {
      if (runId.equals(currentRun) || lastSuccess.map(e -> e.runId().equals(runId)).orElse(false)) {
        continue;
      }
      Optional<RunRecord> record = state.readJson("runs/" + runId + "/run.json", RunRecord.class);
      boolean stopped = record.map(r -> "running".equals(r.status()) || "failed".equals(r.status())).orElse(false);
      boolean finishedStage = record.map(RunRecord::stages).orElse(List.of()).stream()
          .anyMatch(s -> s.stage().equals(stage) && "ran".equals(s.status()));
      if (!stopped || finishedStage) {
        continue;
      }
      for (String dataset : warehouse.datasets()) {
        Optional<Partition> left = warehouse.partition(dataset, runId)
            .filter(p -> runId.equals(p.manifest().runId()) && stage.equals(p.manifest().stage()));
        if (left.isPresent()) {
          warehouse.discardUnfinished(dataset, runId, stage);
          removed.add(left.get().id());
        }
      }
    }
    return removed;
  }
}
