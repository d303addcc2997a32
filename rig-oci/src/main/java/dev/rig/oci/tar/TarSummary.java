package dev.rig.oci.tar;

import dev.rig.oci.digest.Digest;

/**
 * What writing an uncompressed layer tar produced.
 *
 * @param diffId sha256 of the uncompressed tar
 * @param size its length in bytes
 */
public record TarSummary(Digest diffId, long size) {}
