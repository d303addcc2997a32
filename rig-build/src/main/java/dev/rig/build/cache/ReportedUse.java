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

  /**
   * {@link #take}, with what the image's own parts reported under scopes of their own ({@code
   * gpu/vm-tools}, {@code gpu/vm-kernel}): a VM build's tool roots and kernel.
   */
  public synchronized Set<Path> takeWithParts(String image) {
    Set<Path> entries = new LinkedHashSet<>(take(image));
    byImage
        .entrySet()
        .removeIf(
            scope -> {
              if (scope.getKey().startsWith(image + "/")) {
                entries.addAll(scope.getValue());
                return true;
              }
              return false;
            });
    return Set.copyOf(entries);
  }
}
