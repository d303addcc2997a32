package dev.rig.build.memo;

import dev.rig.spec.CodeVersion;
import java.util.List;
import java.util.Optional;

/**
 * Which build of rig (and of the libraries that write image bytes) is running: each jar by path,
 * size and time, a directory of classes (tests, IDEs) by the same for every file in it. A memo made
 * by another build of rig never matches, so a new rig rebuilds instead of trusting it.
 */
final class CodeIdentity {
  /** A class from each jar whose code can change an image's bytes. */
  private static final List<String> CODE =
      List.of(
          "dev.rig.build.Rig",
          "dev.rig.spec.ImageSpec",
          "dev.rig.oci.digest.Digest",
          "dev.rig.apt.version.DebianVersion",
          "dev.rig.registry.RegistryClient",
          "dev.rig.python.lock.LockedWheel",
          "com.github.luben.zstd.Zstd",
          "org.tukaani.xz.XZ",
          "org.apache.commons.compress.archivers.ArchiveEntry",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "com.fasterxml.jackson.core.JsonFactory");

  private CodeIdentity() {}

  /** Empty when some code cannot be located (then nothing is memoized). */
  static Optional<String> current() {
    return CodeVersion.of(CODE);
  }
}
