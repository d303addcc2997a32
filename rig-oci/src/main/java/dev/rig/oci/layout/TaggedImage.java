package dev.rig.oci.layout;

import dev.rig.oci.image.AssembledImage;
import java.util.Objects;

/**
 * An image with the name it is written under.
 *
 * @param refName for an OCI layout: the {@code org.opencontainers.image.ref.name} annotation (rig
 *     writes {@code NAME:TAG}); for a docker-archive: the repo tag {@code name:tag}
 */
public record TaggedImage(String refName, AssembledImage image) {
  public TaggedImage {
    Objects.requireNonNull(image, "image");
    if (refName == null || refName.isBlank()) {
      throw new IllegalArgumentException("an image needs a ref name");
    }
  }
}
