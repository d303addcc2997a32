package dev.rig.oci.image;

import java.util.Map;

/** Media type names, and the OCI equivalents of Docker's. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  private static final Map<String, String> DOCKER_TO_OCI_LAYER =
      Map.of(
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.diff.tar",
          "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");

  private MediaTypes() {}

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** The OCI name of a layer media type; OCI names are returned unchanged. */
  public static String ociLayer(String mediaType) {
    return DOCKER_TO_OCI_LAYER.getOrDefault(mediaType, mediaType);
  }
}
