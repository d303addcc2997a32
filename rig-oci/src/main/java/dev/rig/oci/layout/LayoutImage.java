package dev.rig.oci.layout;

import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import java.util.List;

/**
 * An image read from an OCI layout.
 *
 * @param refName the ref name annotation it was found by
 * @param manifestDescriptor its entry (for a multi-platform index: the chosen platform's)
 * @param manifest the parsed manifest
 * @param configJson the config bytes, verified against their digest
 * @param config the parsed config
 * @param layers the layers, lowest first, with diffIDs from the config and the blob files
 */
public record LayoutImage(
    String refName,
    Descriptor manifestDescriptor,
    ImageManifest manifest,
    byte[] configJson,
    ImageConfig config,
    List<ImageLayer> layers) {

  public LayoutImage {
    configJson = configJson.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] configJson() {
    return configJson.clone();
  }

  /** This image as the base of a new one. */
  public BaseImage toBaseImage() {
    return new BaseImage(config, layers);
  }
}
