package dev.rig.build.sbom;

import java.util.Locale;
import java.util.Optional;

/**
 * A Python distribution installed from a wheel into one of the image's Python environments.
 *
 * @param environment the environment's directory in the image
 * @param sha256 the wheel file's SHA-256, as its lock pins it
 */
public record PythonWheel(
    String name, String version, String environment, Optional<String> sha256) {

  /** {@code pkg:pypi/NAME@VERSION}, the name normalised as PEP 503 and the purl spec say. */
  public Purl purl() {
    return Purl.of("pypi", "", name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-"), version);
  }
}
