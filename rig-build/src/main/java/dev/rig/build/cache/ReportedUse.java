package dev.rig.build.cache;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cache entries builds reported using (as {@code BuildEvent.CacheUsed}), per image, until the
 * image's usage record takes them. Events come from the build's worker threads, hence the locks.
 */
public final class ReportedUse {
  private final Map<String, Set<Path>> byImage = new HashMap<>();

  public synchronized void add(String image, Path entry) {
    byImage.computeIfAbsent(image, name -> new LinkedHashSet<>()).add(entry);
  }

  /** What {@code image} reported since the last call, forgotten here. */
  public synchronized Set<Path> take(String image) {
    Set<Path> entries = byImage.remove(image);
    return entries == null ? Set.of() : Set.copyOf(entries);
  }
}
