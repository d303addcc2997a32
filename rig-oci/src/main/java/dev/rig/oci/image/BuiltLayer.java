package dev.rig.oci.image;

import dev.rig.oci.digest.Digest;
import java.nio.file.Path;

/**
 * A layer ready to go into an image.
 *
 * @param blob the compressed blob's descriptor (media type, digest, size)
 * @param diffId sha256 of the uncompressed tar (goes into the config's rootfs.diff_ids)
 * @param uncompressedSize length of the uncompressed tar
 * @param createdBy the history line
 * @param blobPath the blob in the cache
 * @param hashedWhenWritten the blob was compressed into the cache by this build, which hashed the
 *     bytes as it wrote them; an export need not read them again to check them (a blob found in the
 *     cache is checked when it is exported)
 */
public record BuiltLayer(
    Descriptor blob,
    Digest diffId,
    long uncompressedSize,
    String createdBy,
    Path blobPath,
    boolean hashedWhenWritten) {
  /** A layer whose blob came from the cache. */
  public BuiltLayer(
      Descriptor blob, Digest diffId, long uncompressedSize, String createdBy, Path blobPath) {
    this(blob, diffId, uncompressedSize, createdBy, blobPath, false);
  }
}
