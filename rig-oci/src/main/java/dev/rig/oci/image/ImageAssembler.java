package dev.rig.oci.image;

import dev.rig.oci.digest.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts an image together from an optional base, new layers and a config. Pure: values in, values
 * out; no blob is read or written.
 */
public final class ImageAssembler {
  private ImageAssembler() {}

  /**
   * Assembles an image.
   *
   * <p>With a base, the base's layers, history and diff_ids come first and {@code config} is merged
   * over the base config by the rule in {@link ConfigMerge}. Each new layer gets a history entry
   * (created = {@code config.created()}, created_by = {@link BuiltLayer#createdBy()}). Docker layer
   * media types of the base are written under their OCI names, since the manifest is OCI.
   *
   * @param config the new image's settings; its history and diff_ids must be empty (they are made
   *     here)
   */
  public static AssembledImage assemble(
      Optional<BaseImage> base, List<BuiltLayer> newLayers, ImageConfig config) {
    if (!config.history().isEmpty() || !config.diffIds().isEmpty()) {
      throw new IllegalArgumentException(
          "pass a config without history and diff_ids; the assembler derives them from the layers");
    }
    ImageConfig start = base.map(b -> ConfigMerge.merge(b.config(), config)).orElse(config);
    List<ImageLayer> layers = new ArrayList<>();
    base.ifPresent(
        b ->
            b.layers()
                .forEach(
                    l ->
                        layers.add(
                            new ImageLayer(
                                l.blob().withMediaType(MediaTypes.ociLayer(l.blob().mediaType())),
                                l.diffId(),
                                l.source()))));
    List<HistoryEntry> history = new ArrayList<>(start.history());
    List<Digest> diffIds = new ArrayList<>(start.diffIds());
    for (BuiltLayer layer : newLayers) {
      layers.add(ImageLayer.of(layer));
      history.add(HistoryEntry.layer(config.created(), layer.createdBy()));
      diffIds.add(layer.diffId());
    }
    ImageConfig finalConfig = start.toBuilder().history(history).diffIds(diffIds).build();
    byte[] configJson = finalConfig.toJson();
    Descriptor configDescriptor =
        Descriptor.of(MediaTypes.OCI_CONFIG, Digest.of(configJson), configJson.length);
    ImageManifest manifest =
        ImageManifest.oci(configDescriptor, layers.stream().map(ImageLayer::blob).toList());
    byte[] manifestJson = manifest.toJson();
    Descriptor manifestDescriptor =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.of(manifestJson), manifestJson.length)
            .withPlatform(finalConfig.platform());
    return new AssembledImage(
        finalConfig, configJson, configDescriptor, manifestJson, manifestDescriptor, layers);
  }
}
