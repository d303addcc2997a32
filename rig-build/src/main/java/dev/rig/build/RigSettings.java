package dev.rig.build;

import dev.rig.build.event.BuildListener;
import dev.rig.oci.compress.Compression;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link Rig} needs besides the project: where the cache is, how layers are
 * compressed, the time written into images, how registries are reached, and who hears progress.
 *
 * @param created the time stamp written into layers and configs (SOURCE_DATE_EPOCH); when empty,
 *     each image gets the newest Release date its packages were locked from (see {@link
 *     Rig#build}), or 1970-01-01 when it has no packages
 */
public record RigSettings(
    Path cacheDir,
    Compression compression,
    Optional<Instant> created,
    RegistryAccess registry,
    BuildListener listener) {

  /**
   * Defaults: gzip, the time from the lock, registries reached with the credential chain, no
   * listener.
   */
  public static RigSettings defaults(Path cacheDir) {
    return new RigSettings(
        cacheDir,
        Compression.GZIP,
        Optional.empty(),
        RegistryAccess.defaults(),
        BuildListener.NONE);
  }

  public RigSettings withListener(BuildListener listener) {
    return new RigSettings(cacheDir, compression, created, registry, listener);
  }

  /**
   * The cache directory: {@code option} if given, else $RIG_CACHE, else $XDG_CACHE_HOME/rig, else
   * ~/.cache/rig.
   */
  public static Path cacheDir(Optional<Path> option, Map<String, String> env) {
    if (option.isPresent()) {
      return option.get().toAbsolutePath();
    }
    String rig = env.get("RIG_CACHE");
    if (rig != null && !rig.isBlank()) {
      return Path.of(rig).toAbsolutePath();
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "rig");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "rig");
  }
}
