package dev.rig.build.result;

import dev.rig.oci.image.AssembledImage;
import dev.rig.registry.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * An image ready to be written out.
 *
 * @param layersReused new layers that came from the cache with no tar or compression work
 * @param layersBuilt new layers that were tarred (and compressed, unless an identical one existed)
 * @param baseSource the registry image the base came from, pinned by digest (for mounting)
 * @param registries the repositories the spec pushes this image to, without tag
 */
public record BuiltImage(
    String name,
    String tag,
    AssembledImage image,
    int layersReused,
    int layersBuilt,
    Optional<ImageReference> baseSource,
    List<String> registries) {
  public BuiltImage {
    registries = List.copyOf(registries);
  }

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
