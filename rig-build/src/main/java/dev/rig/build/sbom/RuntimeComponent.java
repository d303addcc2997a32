package dev.rig.build.sbom;

import java.util.Optional;

/**
 * A part of rig's in-image runtime: rig-init's jar, and the Java runtime rig linked for it.
 *
 * @param path where it lies in the image
 * @param sha256 of the file (the jar); empty for a directory tree (the linked Java)
 * @param builtFrom the packages it was made from, as {@code NAME=VERSION}, for the linked Java
 */
public record RuntimeComponent(
    String name, String version, String path, Optional<String> sha256, String builtFrom) {}
