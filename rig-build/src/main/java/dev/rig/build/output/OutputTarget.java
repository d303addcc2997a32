package dev.rig.build.output;

import java.nio.file.Path;

/**
 * Where built images go, written the way skopeo and podman name transports: {@code oci:DIR}, {@code
 * oci-archive:FILE}, {@code docker-archive:FILE}, and {@code vm:DIR} for microVM artifacts.
 */
public sealed interface OutputTarget {

  /** An OCI image layout directory; images are told apart by their ref name annotation. */
  record OciLayout(Path dir) implements OutputTarget {}

  /** An OCI image layout packed in a tar file. */
  record OciArchive(Path file) implements OutputTarget {}

  /** A docker-save style tar, for {@code podman load} and {@code docker load}. */
  record DockerArchive(Path file) implements OutputTarget {}

  /**
   * A directory of microVM artifacts, one subdirectory per image (kernel, initramfs, root disk,
   * vm.json).
   */
  record VmDirectory(Path dir) implements OutputTarget {}

  /** Parses {@code text}, resolving relative paths against {@code base}. */
  static OutputTarget parse(String text, Path base) {
    int colon = text.indexOf(':');
    String kind = colon < 0 ? "" : text.substring(0, colon);
    String path = colon < 0 ? "" : text.substring(colon + 1);
    if (path.isEmpty()) {
      throw new IllegalArgumentException(invalid(text));
    }
    Path resolved = base.resolve(path).normalize();
    switch (kind) {
      case "oci":
        return new OciLayout(resolved);
      case "oci-archive":
        return new OciArchive(resolved);
      case "docker-archive":
        return new DockerArchive(resolved);
      case "vm":
        return new VmDirectory(resolved);
      default:
        throw new IllegalArgumentException(invalid(text));
    }
  }

  private static String invalid(String text) {
    return "output target '"
        + text
        + "' is not understood; use oci:DIR, oci-archive:FILE, docker-archive:FILE or vm:DIR"
        + " (for example --out oci:out)";
  }

  /** The target as the user writes it. */
  default String describe() {
    if (this instanceof OciLayout layout) {
      return "oci:" + layout.dir();
    }
    if (this instanceof OciArchive archive) {
      return "oci-archive:" + archive.file();
    }
    if (this instanceof VmDirectory vm) {
      return "vm:" + vm.dir();
    }
    return "docker-archive:" + ((DockerArchive) this).file();
  }
}
