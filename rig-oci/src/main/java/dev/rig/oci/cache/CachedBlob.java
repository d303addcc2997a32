package dev.rig.oci.cache;

import dev.rig.oci.digest.Digest;
import java.nio.file.Path;

/**
 * A blob present in the cache.
 *
 * @param digest its sha256
 * @param size its length in bytes
 * @param path where it lies (read-only by convention: it may be hard-linked into outputs)
 */
public record CachedBlob(Digest digest, long size, Path path) {}
