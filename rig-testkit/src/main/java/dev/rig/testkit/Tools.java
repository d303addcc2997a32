package dev.rig.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the real programs that tests run against. A missing program fails the test with the package
 * to install: tests never skip silently, because under CI a skip would hide a missing install step.
 */
public final class Tools {
  private Tools() {}

  /**
   * Returns the absolute path of {@code program}, or fails naming the Debian package to install.
   */
  public static Path require(String program, String debianPackage) {
    return find(program)
        .orElseThrow(
            () ->
                new AssertionError(
                    program
                        + " is not installed; run `bash scripts/setup` (it installs the Debian"
                        + " package "
                        + debianPackage
                        + ")"));
  }

  /** Looks {@code program} up on PATH (and in /usr/sbin, /sbin, which root's PATH may lack). */
  public static Optional<Path> find(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
