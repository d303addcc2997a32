package dev.rig.build.plan;

import dev.rig.oci.layer.LayerEntry;
import java.util.List;

/** One {@code copyToRoot} entry with its host files already read: what goes to {@code target}. */
public record PreparedCopy(String target, List<LayerEntry> entries) {
  public PreparedCopy {
    entries = List.copyOf(entries);
  }
}
