package dev.rig.build.plan;

import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filesystem a stack of planned layers makes (a later layer's entry wins), asked about paths
 * without touching the disk, so the planner can tell what the image will hold.
 */
final class LayerTree {
  /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
  private static final int MAX_LINKS = 40;

  private final Map<String, LayerEntry> entries = new HashMap<>();

  /** Directories implied by a deeper entry, for layers that leave parents out. */
  private final Set<String> impliedDirectories = new HashSet<>();

  LayerTree(List<LayerInput> layers) {
    for (LayerInput layer : layers) {
      for (LayerEntry entry : layer.entries()) {
        entries.put(entry.path(), entry);
        String path = entry.path();
        for (int slash = path.lastIndexOf('/');
            slash > 0;
            slash = path.lastIndexOf('/', slash - 1)) {
          impliedDirectories.add(path.substring(0, slash));
        }
      }
    }
  }

  /** Whether {@code path} is a directory in the image, following links as the kernel would. */
  boolean isDirectory(String path) {
    Deque<String> pending = new ArrayDeque<>(names(path));
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (name.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      String here = "/" + String.join("/", resolved) + (resolved.isEmpty() ? "" : "/") + name;
      LayerEntry entry = entries.get(here);
      if (entry != null && entry.type() == EntryType.SYMLINK) {
        if (++links > MAX_LINKS) {
          return false;
        }
        String target = entry.linkTarget();
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> targetNames = names(target);
        for (int i = targetNames.size() - 1; i >= 0; i--) {
          pending.addFirst(targetNames.get(i));
        }
      } else if ((entry != null && entry.type() == EntryType.DIRECTORY)
          || (entry == null && impliedDirectories.contains(here))) {
        resolved.add(name);
      } else {
        return false;
      }
    }
    return true;
  }

  private static List<String> names(String path) {
    List<String> names = new ArrayList<>();
    for (String name : path.split("/")) {
      if (!name.isEmpty() && !name.equals(".")) {
        names.add(name);
      }
    }
    return names;
  }
}
