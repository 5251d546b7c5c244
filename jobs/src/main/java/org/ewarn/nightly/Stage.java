package org.ewarn.nightly;

import java.util.List;

/**
 * One step of the nightly pipeline. The runner decides from {@link #configSections()}, the files
 * those sections name and the outputs of the stages before it whether the stage has anything new to
 * do; the stage itself only does its work.
 */
public interface Stage {
  String name();

  /** Configuration sections the stage reads: their hash, and the files they name, are its inputs. */
  List<String> configSections();

  /** Runs the stage; throws {@link org.ewarn.run.StageFailure} for failures the user can act on. */
  StageOutcome run(StageContext context);
}
