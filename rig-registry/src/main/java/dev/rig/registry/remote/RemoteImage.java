package dev.rig.registry.remote;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import dev.rig.registry.model.ImageReference;
import java.util.ArrayList;
import java.util.List;

/**
 * One platform's image in a registry, known by its manifest and config, with layers that are read
 * from the registry only when their bytes are needed (a push to a registry that has them needs
 * none).
 *
 * @param source the reference as the spec wrote it
 * @param pinned the same repository with the digest of what {@code source} named (an index digest
 *     when the reference names an index), so that a later build gets exactly this image
 * @param manifestDigest the platform manifest's digest
 */
public record RemoteImage(
    ImageReference source,
    ImageReference pinned,
    Digest manifestDigest,
    ImageManifest manifest,
    ImageConfig config,
    List<ImageLayer> layers) {
  public RemoteImage {
    layers = List.copyOf(layers);
  }

  public BaseImage toBaseImage() {
    return new BaseImage(config, new ArrayList<>(layers));
  }
}
