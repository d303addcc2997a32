package dev.rig.build.image;

import dev.rig.oci.compress.Compression;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a build needs besides the spec: the cache directory, the layer compression and the time
 * stamp written into layers and config (SOURCE_DATE_EPOCH, or the epoch).
 */
public record BuildSettings(Path cacheDir, Compression compression, Instant created) {}
