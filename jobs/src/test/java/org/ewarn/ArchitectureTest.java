package org.ewarn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules, checked on the compiled classes so they cannot drift back: no package cycles,
 * the run layer at the bottom, and stages that never reach up into the command line or the
 * nightly driver that call them.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  /**
   * The jobs module's own classes, from the folder (or jar) they were loaded from. Importing by
   * package ({@code importPackages("org.ewarn")}) made ArchUnit search every jar on the test
   * classpath (Spark's, Hadoop's: hundreds) for that package. The other modules cannot depend on
   * jobs, so no cycle or rule here crosses into them.
   */
  @BeforeAll
  static void importClasses() throws Exception {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(Path.of(org.ewarn.cli.Ewarn.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.ewarn.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void runLayerDependsOnNoOtherPackage() {
    noClasses().that().resideInAPackage("org.ewarn.run..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.ewarn.config..", "org.ewarn.cli..", "org.ewarn.nightly..", "org.ewarn.ingest..",
            "org.ewarn.panel..", "org.ewarn.model..", "org.ewarn.backtest..", "org.ewarn.export..",
            "org.ewarn.io..")
        .check(classes);
  }

  @Test
  void stagesNeverCallTheCommandLineOrTheNightly() {
    noClasses().that().resideInAnyPackage(
            "org.ewarn.ingest..", "org.ewarn.panel..", "org.ewarn.model..", "org.ewarn.backtest..",
            "org.ewarn.export..", "org.ewarn.io..", "org.ewarn.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.ewarn.cli..", "org.ewarn.nightly..")
        .check(classes);
  }

  @Test
  void configurationIsBoundOnceAtTheEdgeIntoRecords() {
    // Stages receive typed records; only their binders (FooConfig.from, FooSettings.from, the
    // model registry) read the raw settings, and the command line and the nightly call them.
    noClasses().that().resideOutsideOfPackages("org.ewarn.cli..", "org.ewarn.nightly..", "org.ewarn.config..")
        .and().haveSimpleNameNotEndingWith("Config").and().haveSimpleNameNotEndingWith("Settings")
        .and().haveSimpleNameNotEndingWith("Registry")
        .should().dependOnClassesThat().belongToAnyOf(org.ewarn.config.Settings.class)
        .check(classes);
  }

  @Test
  void commandsLeaveLockSessionAndStoresToTheirActions() {
    // a command parses, binds its config record and calls its action; taking the run lock,
    // starting Spark and opening the warehouse or the marts is the action's, so the nightly,
    // calling the same action, cannot do any of it differently; the nightly's stages likewise
    noClasses().that().resideInAPackage("org.ewarn.cli..")
        .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("Command")
            .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("Stage")))
        .should().dependOnClassesThat().belongToAnyOf(org.apache.spark.sql.SparkSession.class,
            org.ewarn.run.SparkSessions.class, org.ewarn.io.RiskMarts.class, org.ewarn.io.SparkMarts.class,
            org.ewarn.warehouse.Warehouse.class, org.ewarn.warehouse.RunLock.class)
        .check(classes);
  }

  @Test
  void onlyTheCommandLineUsesPicocli() {
    // the scale-data generator is a command of its own (jobs/bin/benchmark-ingest)
    noClasses().that().resideOutsideOfPackages("org.ewarn.cli..", "org.ewarn.bench..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }
}
