package org.ewarn.nightly;

import java.nio.file.Path;
import java.util.List;
import org.ewarn.config.Settings;

/**
 * One step of the nightly pipeline. The runner decides from {@link #configSections()}, the files
 * those sections name and the outputs of the stages before it whether the stage has anything new to
 * do; the stage itself only does its work.
 */
public interface Stage {
  String name();

  /** Configuration sections the stage reads: their hash, and the files they name, are its inputs. */
  List<String> configSections();

  /**
   * Stages whose outputs this one cannot do without. While one of them is not part of the build,
   * the nightly run reports this stage as waiting instead of failing on the missing marts.
   */
  default List<String> requires() {
    return List.of();
  }

  /** Input files the stage reads that its configuration does not name (checksummed too). */
  default List<Path> inputFiles(Settings settings) {
    return List.of();
  }

  /**
   * Folders the stage writes besides the warehouse and the output root (stored models): what a
   * stage wrote is never counted as an input, or every stage reading a section that names such a
   * folder would rerun the night after it ran.
   */
  default List<Path> writes(Settings settings) {
    return List.of();
  }

  /** Runs the stage; throws {@link org.ewarn.run.StageFailure} for failures the user can act on. */
  StageOutcome run(StageContext context);
}
