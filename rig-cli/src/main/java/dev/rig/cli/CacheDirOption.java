package dev.rig.cli;

import dev.rig.build.RigSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --cache DIR} for the commands that only look after the cache. */
final class CacheDirOption {
  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Cache directory (default: $RIG_CACHE or ~/.cache/rig).")
  Path cache;

  Path cacheDir() {
    return RigSettings.cacheDir(Optional.ofNullable(cache), System.getenv());
  }
}
