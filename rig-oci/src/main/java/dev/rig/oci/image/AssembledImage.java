package dev.rig.oci.image;

import java.util.List;

/**
 * A complete image: config and manifest documents with their digests, and the layers with where to
 * read them. Everything an output writer or a registry push needs.
 */
public record AssembledImage(
    ImageConfig config,
    byte[] configJson,
    Descriptor configDescriptor,
    byte[] manifestJson,
    Descriptor manifestDescriptor,
    List<ImageLayer> layers) {

  public AssembledImage {
    configJson = configJson.clone();
    manifestJson = manifestJson.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] configJson() {
    return configJson.clone();
  }

  @Override
  public byte[] manifestJson() {
    return manifestJson.clone();
  }
}
