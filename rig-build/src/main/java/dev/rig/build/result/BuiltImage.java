package dev.rig.build.result;

import dev.rig.build.sbom.ImageInventory;
import dev.rig.build.sbom.Sbom;
import dev.rig.build.sbom.SbomSubject;
import dev.rig.oci.image.AssembledImage;
import dev.rig.registry.model.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * An image ready to be written out.
 *
 * @param layers the image's own layers (not the base's), each with what it cost
 * @param baseSource the registry image the base came from, pinned by digest (for mounting)
 * @param registries the repositories the spec pushes this image to, without tag
 * @param inventory what the build put into the image, for its SBOM
 */
public record BuiltImage(
    String name,
    String tag,
    AssembledImage image,
    List<LayerReport> layers,
    Optional<ImageReference> baseSource,
    List<String> registries,
    ImageInventory inventory) {
  public BuiltImage {
    layers = List.copyOf(layers);
    registries = List.copyOf(registries);
  }

  /** The image's SBOM, in SPDX or CycloneDX: {@code sbom().bytes(SbomFormat.SPDX)}. */
  public Sbom sbom() {
    return new Sbom(
        new SbomSubject(
            name,
            tag,
            digest(),
            image.config().os(),
            image.config().architecture(),
            image.config().created()),
        inventory);
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

  /** Own layers the cache served with no tar and no compression work. */
  public int layersReused() {
    return (int) layers.stream().filter(LayerReport::reused).count();
  }

  /** Own layers this build tarred (and compressed, unless an identical blob existed). */
  public int layersBuilt() {
    return layers.size() - layersReused();
  }

  public int layerCount() {
    return image.layers().size();
  }
}
