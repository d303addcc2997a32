package dev.rig.build.base;

import dev.rig.oci.image.BaseImage;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.remote.RemoteImage;
import java.util.Optional;

/**
 * The base an image is built on.
 *
 * @param image its config and layers; empty for an image built from nothing
 * @param registrySource for a registry base, the reference pinned to the digest that was used: a
 *     push to the same registry mounts the base layers from there instead of uploading them
 */
public record ResolvedBase(Optional<BaseImage> image, Optional<ImageReference> registrySource) {
  static final ResolvedBase NONE = new ResolvedBase(Optional.empty(), Optional.empty());

  static ResolvedBase local(BaseImage image) {
    return new ResolvedBase(Optional.of(image), Optional.empty());
  }

  static ResolvedBase remote(RemoteImage remote) {
    return new ResolvedBase(Optional.of(remote.toBaseImage()), Optional.of(remote.pinned()));
  }

  public int layerCount() {
    return image.map(b -> b.layers().size()).orElse(0);
  }
}
