package dev.rig.architecture;

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

  @Test
  void noPackageCycles() {
    slices().matching("dev.rig.(**)").should().beFreeOfCycles().check(classes);
  }
}
