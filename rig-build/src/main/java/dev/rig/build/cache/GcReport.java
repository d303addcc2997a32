package dev.rig.build.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code rig cache gc} did (or, on a dry run, would do).
 *
 * @param sizeAfter what the cache holds afterwards
 * @param freed what the removals freed on disk: less than the cache shrank by where a removed file
 *     is also linked from outside the cache (an output layout links the blobs it was written from)
 * @param removed every entry removed, in the order chosen, with why
 * @param kept what is left, by kind
 * @param keptImages the images whose latest build's entries were kept, most recent first
 * @param droppedImages the images evicted to meet the limits, least recently built last
 */
public record GcReport(
    Path cache,
    GcLimits limits,
    boolean dryRun,
    long sizeBefore,
    long sizeAfter,
    long freed,
    long freeAfter,
    List<Removed> removed,
    List<KindTotal> kept,
    List<ImageUse> keptImages,
    List<ImageUse> droppedImages) {
  public GcReport {
    removed = List.copyOf(removed);
    kept = List.copyOf(kept);
    keptImages = List.copyOf(keptImages);
    droppedImages = List.copyOf(droppedImages);
  }

  /** One removed entry: its kind, its path relative to the cache, the bytes freed and why. */
  public record Removed(String kind, String entry, long bytes, String reason) {}
}
