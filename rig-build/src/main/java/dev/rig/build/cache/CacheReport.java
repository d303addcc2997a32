package dev.rig.build.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code rig cache} shows: the cache by kind, by image, and what a gc would reclaim.
 *
 * @param bytes everything the cache takes on disk, a file shared by hard links counted once (in the
 *     first kind that holds it)
 * @param images the most recent build of each image, most recent first
 * @param unusedEntries entries no recent build used (what {@code rig cache gc} removes under any
 *     cap)
 * @param leftovers temporary files of interrupted runs
 * @param reclaimableBytes what removing the unused entries and the leftovers frees
 * @param freeBytes free space on the cache's disk
 */
public record CacheReport(
    Path cache,
    long bytes,
    List<KindTotal> kinds,
    List<ImageUse> images,
    int unusedEntries,
    int leftovers,
    long reclaimableBytes,
    long freeBytes) {
  public CacheReport {
    kinds = List.copyOf(kinds);
    images = List.copyOf(images);
  }
}
