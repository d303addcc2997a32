package dev.rig.registry;

import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.Platform;
import dev.rig.registry.model.RegistryException;

/** Picks the manifest for one platform out of an image index, as a container runtime would. */
public final class PlatformChoice {
  private PlatformChoice() {}

  /**
   * The first entry whose os and architecture match (and variant, when one is asked for).
   *
   * @param what names the index in the error
   */
  public static Descriptor choose(ImageIndex index, Platform platform, String what)
      throws RegistryException {
    for (Descriptor d : index.manifests()) {
      if (d.platform().isPresent()
          && d.platform().get().os().equals(platform.os())
          && d.platform().get().architecture().equals(platform.architecture())
          && (platform.variant().isEmpty()
              || platform.variant().equals(d.platform().get().variant()))) {
        return d;
      }
    }
    throw new RegistryException(
        what
            + " has no image for platform "
            + platform
            + "; it has: "
            + index.manifests().stream()
                .map(d -> d.platform().map(Platform::toString).orElse("?"))
                .toList()
            + " (set platform in the spec to one of these, or pick another base image)");
  }
}
