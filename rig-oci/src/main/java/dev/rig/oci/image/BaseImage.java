package dev.rig.oci.image;

import java.util.List;

/**
 * The image a build starts from.
 *
 * @param config its parsed config (history, diff_ids and the defaults a new config overrides)
 * @param layers its layers, lowest first; their diffIDs must equal config's rootfs.diff_ids
 */
public record BaseImage(ImageConfig config, List<ImageLayer> layers) {
  public BaseImage {
    layers = List.copyOf(layers);
    if (config.diffIds().size() != layers.size()) {
      throw new IllegalArgumentException(
          "base image config lists "
              + config.diffIds().size()
              + " diff_ids but the manifest has "
              + layers.size()
              + " layers");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (!layers.get(i).diffId().equals(config.diffIds().get(i))) {
        throw new IllegalArgumentException(
            "base image layer "
                + i
                + " has diffID "
                + layers.get(i).diffId()
                + ", config says "
                + config.diffIds().get(i));
      }
    }
  }
}
