package dev.rig.build;

import dev.rig.oci.image.AssembledImage;

/**
 * An image ready to be written out.
 *
 * @param layersReused new layers that came from the cache with no tar or compression work
 * @param layersBuilt new layers that were tarred (and compressed, unless an identical one existed)
 */
public record BuiltImage(
    String name, String tag, AssembledImage image, int layersReused, int layersBuilt) {

  /** {@code NAME:TAG}, the ref name the image carries in outputs. */
  public String reference() {
    return name + ":" + tag;
  }

  /** The manifest digest, {@code sha256:...}. */
  public String digest() {
    return image.manifestDescriptor().digest().toString();
  }

  /** Bytes of all blobs (config and compressed layers). */
  public long size() {
    long total = image.configDescriptor().size();
    for (var layer : image.layers()) {
      total += layer.blob().size();
    }
    return total;
  }

  public int layerCount() {
    return image.layers().size();
  }
}
