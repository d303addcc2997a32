package dev.rig.spec;

import java.nio.file.Path;

/** Resolves host paths written in a spec; one rule for the checks and for the model. */
final class HostPaths {
  private HostPaths() {}

  /** {@code path} as an absolute path: relative ones start at the spec file's directory. */
  static Path resolve(Path specDir, String path) {
    return specDir.resolve(path).toAbsolutePath().normalize();
  }
}
