package dev.rig.build.cache;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What the most recent build of one image used from the cache.
 *
 * @param entries how many cache entries it used that are still there
 * @param bytes what those entries take on disk (shared with other images or not)
 */
public record ImageUse(
    String reference, Path project, String digest, Instant built, int entries, long bytes) {}
