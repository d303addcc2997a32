package dev.rig.oci.image;

import dev.rig.oci.cache.BuiltLayer;
import dev.rig.oci.digest.Digest;

/**
 * A layer of an image, with where to read its blob.
 *
 * @param blob the descriptor written into the manifest
 * @param diffId sha256 of the uncompressed tar
 * @param source the blob's bytes
 */
public record ImageLayer(Descriptor blob, Digest diffId, BlobSource source) {
  public static ImageLayer of(BuiltLayer layer) {
    return new ImageLayer(
        layer.blob(),
        layer.diffId(),
        BlobSource.ofCachedFile(layer.blobPath(), layer.hashedWhenWritten()));
  }
}
