package dev.rig.oci.image;

import dev.rig.oci.digest.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites an image's manifest in Docker's v2 schema 2 media types, for registries and tools that
 * still refuse OCI manifests. Config and layer bytes stay the same; only the manifest (and so its
 * digest) changes. Docker's format knows gzip and uncompressed layers, not zstd.
 */
public final class DockerSchema2 {
  private static final Map<String, String> OCI_TO_DOCKER_LAYER =
      Map.of(
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.docker.image.rootfs.diff.tar",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

  private DockerSchema2() {}

  /**
   * @throws IllegalArgumentException when a layer uses a compression Docker's format cannot name
   */
  public static AssembledImage convert(AssembledImage image) {
    if (MediaTypes.DOCKER_MANIFEST.equals(image.manifestDescriptor().mediaType())) {
      return image;
    }
    List<ImageLayer> layers = new ArrayList<>();
    List<Descriptor> descriptors = new ArrayList<>();
    for (ImageLayer layer : image.layers()) {
      String docker = dockerLayerType(layer.blob().mediaType());
      Descriptor blob = layer.blob().withMediaType(docker);
      descriptors.add(blob);
      layers.add(layer.withBlob(blob));
    }
    Descriptor config = image.configDescriptor().withMediaType(MediaTypes.DOCKER_CONFIG);
    byte[] manifest =
        new ImageManifest(MediaTypes.DOCKER_MANIFEST, config, descriptors, Map.of()).toJson();
    return new AssembledImage(
        image.config(),
        image.configJson(),
        config,
        manifest,
        Descriptor.of(MediaTypes.DOCKER_MANIFEST, Digest.of(manifest), manifest.length),
        layers);
  }

  private static String dockerLayerType(String mediaType) {
    String oci = MediaTypes.ociLayer(mediaType);
    String docker = OCI_TO_DOCKER_LAYER.get(oci);
    if (docker == null) {
      throw new IllegalArgumentException(
          "layer type "
              + mediaType
              + " has no Docker schema 2 name; build with --compression gzip to push in Docker's"
              + " format");
    }
    return docker;
  }
}
