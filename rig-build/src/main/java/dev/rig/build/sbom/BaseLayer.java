package dev.rig.build.sbom;

import java.util.Optional;

/**
 * A layer an image took from its base image.
 *
 * @param digest the compressed blob's digest, {@code sha256:...}
 * @param diffId the uncompressed tar's digest
 * @param origin the base as the spec names it, pinned to a digest where it came from a registry
 */
public record BaseLayer(
    int index, String digest, String diffId, long size, Optional<String> origin) {}
