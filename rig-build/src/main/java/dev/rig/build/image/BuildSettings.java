package dev.rig.build.image;

import dev.rig.build.sbom.FileHashes;
import dev.rig.oci.compress.Compression;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a build needs besides the spec: the cache directory, the layer compression, the time stamp
 * written into layers and config (SOURCE_DATE_EPOCH, or the epoch), and where the SBOM takes the
 * hashes of copied host files from (the build memo's stat cache, or reading them).
 */
public record BuildSettings(
    Path cacheDir, Compression compression, Instant created, FileHashes hostFiles) {
  /** Settings whose SBOM reads every copied host file. */
  public BuildSettings(Path cacheDir, Compression compression, Instant created) {
    this(cacheDir, compression, created, FileHashes.READING);
  }
}
