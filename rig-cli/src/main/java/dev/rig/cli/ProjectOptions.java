package dev.rig.cli;

import dev.rig.build.RigSettings;
import dev.rig.oci.compress.Compression;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What every command that builds takes: the spec, compression, cache, quiet. */
final class ProjectOptions {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The spec (default: rig.pkl, rig.yaml, rig.yml or rig.json here).")
  Path file;

  @Option(
      names = "--compression",
      paramLabel = "ALGORITHM",
      description = "Layer compression: gzip or zstd (default: ${DEFAULT-VALUE}).",
      defaultValue = "gzip",
      converter = CompressionOption.class)
  Compression compression;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Cache directory (default: $RIG_CACHE or ~/.cache/rig).")
  Path cache;

  @Option(
      names = "--locked",
      description =
          "Use rig.lock as it is: stop when it lacks an image or no longer matches the spec"
              + " (for CI). Without it, a spec that only added packages extends rig.lock, holding"
              + " every locked package.")
  boolean locked;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print no progress, only the results.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Print a line for every layer and every phase, cached ones too (by default an image"
              + " gets one summary line).")
  boolean verbose;

  /** {@code --cache}, else $RIG_CACHE, else $XDG_CACHE_HOME/rig, else ~/.cache/rig. */
  Path cacheDir() {
    return RigSettings.cacheDir(Optional.ofNullable(cache), System.getenv());
  }

  /** The spec {@code -f} names, if any. */
  Optional<Path> spec() {
    return Optional.ofNullable(file);
  }
}
