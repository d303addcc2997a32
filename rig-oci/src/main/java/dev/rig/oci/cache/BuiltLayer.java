package dev.rig.oci.cache;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.Descriptor;
import java.nio.file.Path;

/**
 * A layer ready to go into an image.
 *
 * @param blob the compressed blob's descriptor (media type, digest, size)
 * @param diffId sha256 of the uncompressed tar (goes into the config's rootfs.diff_ids)
 * @param uncompressedSize length of the uncompressed tar
 * @param createdBy the history line
 * @param blobPath the blob in the cache
 */
public record BuiltLayer(
    Descriptor blob, Digest diffId, long uncompressedSize, String createdBy, Path blobPath) {}
