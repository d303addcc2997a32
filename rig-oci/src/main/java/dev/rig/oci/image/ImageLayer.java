package dev.rig.oci.image;

import dev.rig.oci.digest.Digest;

/**
 * A layer of an image, with where to read its blob.
 *
 * @param blob the descriptor written into the manifest
 * @param diffId sha256 of the uncompressed tar
 * @param source the blob's bytes
 * @param uncompressedSize the length of the uncompressed tar, or -1 when unknown (a base image's
 *     layers: registries only give the compressed size)
 */
public record ImageLayer(Descriptor blob, Digest diffId, BlobSource source, long uncompressedSize) {
  /** A layer whose uncompressed size is not known. */
  public ImageLayer(Descriptor blob, Digest diffId, BlobSource source) {
    this(blob, diffId, source, -1);
  }

  public static ImageLayer of(BuiltLayer layer) {
    return new ImageLayer(
        layer.blob(),
        layer.diffId(),
        BlobSource.ofCachedFile(layer.blobPath(), layer.hashedWhenWritten()),
        layer.uncompressedSize());
  }

  /** The same layer under another descriptor (a media type written the Docker way). */
  public ImageLayer withBlob(Descriptor descriptor) {
    return new ImageLayer(descriptor, diffId, source, uncompressedSize);
  }
}
