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
 * @param created the time stamp written into layers and configs (SOURCE_DATE_EPOCH)
 */
public record RigSettings(
    Path cacheDir,
    Compression compression,
    Instant created,
    RegistryAccess registry,
    BuildListener listener) {

  /** Defaults: gzip, the epoch, registries reached with the credential chain, no listener. */
  public static RigSettings defaults(Path cacheDir) {
    return new RigSettings(
        cacheDir, Compression.GZIP, Instant.EPOCH, RegistryAccess.defaults(), BuildListener.NONE);
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
