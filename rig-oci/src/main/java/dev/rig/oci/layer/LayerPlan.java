package dev.rig.oci.layer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entries of a layer exactly as they will be written: in tar order, every parent directory
 * present, duplicates resolved, each hardlink pointing at a file written before it. A pure function
 * of the {@link LayerInput}: entry order in the input does not matter.
 *
 * @param entries in {@link ImagePaths#TAR_ORDER}
 */
public record LayerPlan(List<LayerEntry> entries) {
  /** Mode and owner of parent directories nobody listed. */
  public static final int IMPLICIT_DIRECTORY_MODE = 0755;

  public LayerPlan {
    entries = List.copyOf(entries);
  }

  /**
   * Plans a layer.
   *
   * @throws IllegalArgumentException when two different entries claim one path, a path lies below a
   *     non-directory, or a hardlink does not lead to a file in this layer
   */
  public static LayerPlan of(LayerInput input) {
    Map<String, LayerEntry> byPath = new TreeMap<>(ImagePaths.TAR_ORDER);
    for (LayerEntry entry : input.entries()) {
      LayerEntry previous = byPath.putIfAbsent(entry.path(), entry);
      if (previous != null && !previous.equals(entry)) {
        throw new IllegalArgumentException(
            "two different entries for " + entry.path() + ": " + previous + " and " + entry);
      }
    }
    addImplicitParents(byPath);
    resolveHardlinks(byPath);
    return new LayerPlan(new ArrayList<>(byPath.values()));
  }

  private static void addImplicitParents(Map<String, LayerEntry> byPath) {
    for (LayerEntry entry : List.copyOf(byPath.values())) {
      for (String parent : ImagePaths.parents(entry.path())) {
        LayerEntry existing = byPath.get(parent);
        if (existing == null) {
          byPath.put(parent, LayerEntry.directory(parent, IMPLICIT_DIRECTORY_MODE, 0, 0));
        } else if (existing.type() != EntryType.DIRECTORY) {
          throw new IllegalArgumentException(
              entry.path() + " lies below " + parent + ", which is a " + existing.type());
        }
      }
    }
  }

  /**
   * Makes every hardlink group consist of one FILE (the path that sorts first, since a tar reader
   * needs the target before the link) and links to it. Hard links are symmetric, so which name
   * holds the bytes makes no difference to the unpacked tree.
   */
  private static void resolveHardlinks(Map<String, LayerEntry> byPath) {
    Map<String, List<String>> groups = new TreeMap<>(ImagePaths.TAR_ORDER);
    for (LayerEntry entry : byPath.values()) {
      if (entry.type() == EntryType.HARDLINK) {
        String file = finalTarget(byPath, entry);
        groups.computeIfAbsent(file, f -> new ArrayList<>(List.of(f))).add(entry.path());
      }
    }
    for (Map.Entry<String, List<String>> group : groups.entrySet()) {
      LayerEntry file = byPath.get(group.getKey());
      List<String> names = group.getValue();
      names.sort(ImagePaths.TAR_ORDER);
      String first = names.get(0);
      byPath.put(first, file.withPath(first));
      for (String name : names.subList(1, names.size())) {
        byPath.put(
            name,
            new LayerEntry(
                name, EntryType.HARDLINK, file.mode(), file.uid(), file.gid(), null, first));
      }
    }
  }

  private static String finalTarget(Map<String, LayerEntry> byPath, LayerEntry link) {
    Set<String> seen = new HashSet<>();
    LayerEntry current = link;
    while (current.type() == EntryType.HARDLINK) {
      if (!seen.add(current.path())) {
        throw new IllegalArgumentException(link.path() + ": hardlinks form a cycle");
      }
      LayerEntry next = byPath.get(current.linkTarget());
      if (next == null) {
        throw new IllegalArgumentException(
            link.path()
                + ": hardlink target "
                + current.linkTarget()
                + " is not an entry of this layer");
      }
      current = next;
    }
    if (current.type() != EntryType.FILE) {
      throw new IllegalArgumentException(
          link.path() + ": hardlink target " + current.path() + " is a " + current.type());
    }
    return current.path();
  }

  /** Index by path, for tests and diagnostics. */
  public Map<String, LayerEntry> byPath() {
    Map<String, LayerEntry> map = new HashMap<>();
    entries.forEach(e -> map.put(e.path(), e));
    return map;
  }
}
