package dev.rig.build.sbom;

import java.util.Objects;
import java.util.Optional;

/**
 * A Debian package installed in an image, as its dpkg database says, joined with what rig.lock
 * knows about the .deb it came from.
 *
 * @param source the source package it was built from
 * @param sourceVersion the source package's version (the binary's own when dpkg names none)
 * @param sha256 the .deb's SHA-256 from rig.lock (empty only for a package the lock does not list)
 * @param downloadLocation the .deb's URL in its repository, from rig.lock
 * @param license the SPDX licence expression read from its machine-readable copyright file
 */
public record DebianPackage(
    String name,
    String version,
    String architecture,
    String source,
    String sourceVersion,
    Optional<String> sha256,
    Optional<String> downloadLocation,
    SpdxLicense license) {
  public DebianPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceVersion, "sourceVersion");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(downloadLocation, "downloadLocation");
    Objects.requireNonNull(license, "license");
  }

  /** {@code pkg:deb/VENDOR/NAME@VERSION?arch=ARCH&distro=VENDOR-RELEASE}. */
  public Purl purl(Distro distro) {
    return Purl.of("deb", distro.vendor(), name, version)
        .withQualifier("arch", architecture)
        .withQualifier("distro", distro.purlDistro());
  }
}
