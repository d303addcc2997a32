package dev.rig.oci.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything one layer is made of. Entry order does not matter: the tar is always written in {@link
 * ImagePaths#TAR_ORDER}.
 *
 * @param entries the entries; parent directories not listed are added as 0755 root:root
 * @param createdBy the image history line for this layer (e.g. "rig: packages")
 */
public record LayerInput(List<LayerEntry> entries, String createdBy) {
  public LayerInput {
    entries = List.copyOf(entries);
    Objects.requireNonNull(createdBy, "createdBy");
  }

  public static Builder builder(String createdBy) {
    return new Builder(createdBy);
  }

  /** Collects entries from several sources into one input. */
  public static final class Builder {
    private final String createdBy;
    private final List<LayerEntry> entries = new ArrayList<>();

    private Builder(String createdBy) {
      this.createdBy = createdBy;
    }

    public Builder add(LayerEntry entry) {
      entries.add(entry);
      return this;
    }

    public Builder addAll(List<LayerEntry> more) {
      entries.addAll(more);
      return this;
    }

    /** Adds a host directory tree; see {@link HostTree#entries}. */
    public Builder addHostTree(
        Path hostDir, String imagePath, OptionalInt modeOverride, int uid, int gid)
        throws IOException {
      entries.addAll(HostTree.entries(hostDir, imagePath, modeOverride, uid, gid));
      return this;
    }

    public LayerInput build() {
      return new LayerInput(entries, createdBy);
    }
  }
}
