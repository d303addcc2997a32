package dev.rig.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules docs/architecture.md states, checked over the compiled classes of every module: a
 * reader can follow the pipeline only if no package depends on one that depends back on it, and the
 * command line is a thin shell over the facade.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rig");
  }

  /**
   * The command line parses flags, calls the facade and renders its events: it reaches the pipeline
   * only through {@code dev.rig.build.Rig} and the values the facade takes and returns.
   */
  @Test
  void theCommandLineGoesThroughTheFacade() {
    noClasses()
        .that()
        .resideInAPackage("dev.rig.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.rig.apt..",
            "dev.rig.registry..",
            "dev.rig.python..",
            "dev.rig.init..",
            "dev.rig.oci.cache..",
            "dev.rig.oci.image..",
            "dev.rig.oci.layer..",
            "dev.rig.oci.layout..",
            "dev.rig.oci.tar..",
            "dev.rig.build.base..",
            "dev.rig.build.cuda..",
            "dev.rig.build.home..",
            "dev.rig.build.image..",
            "dev.rig.build.lock..",
            "dev.rig.build.memo..",
            "dev.rig.build.packages..",
            "dev.rig.build.plan..",
            "dev.rig.build.project..",
            "dev.rig.build.runtime..",
            "dev.rig.build.vm.run..")
        .because("the CLI only calls the Rig facade (docs/architecture.md)")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.rig.(**)").should().beFreeOfCycles().check(classes);
  }
}
