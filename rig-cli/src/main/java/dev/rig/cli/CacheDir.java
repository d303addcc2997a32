package dev.rig.cli;

import java.nio.file.Path;

/** Where rig keeps its cache: {@code --cache}, else $RIG_CACHE, else ~/.cache/rig. */
final class CacheDir {
  private CacheDir() {}

  static Path resolve(Path option) {
    if (option != null) {
      return option.toAbsolutePath();
    }
    String env = System.getenv("RIG_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "rig");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "rig");
  }
}
