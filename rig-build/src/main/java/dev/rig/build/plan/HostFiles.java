package dev.rig.build.plan;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.HostTree;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.spec.CopyToRoot;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the host files an image copies ({@code copyToRoot}): the preparation before planning. */
public final class HostFiles {
  private HostFiles() {}

  public static List<PreparedCopy> read(ImageSpec spec) throws IOException {
    List<PreparedCopy> copies = new ArrayList<>();
    for (CopyToRoot copy : spec.copyToRoot()) {
      copies.add(new PreparedCopy(copy.target(), entries(copy)));
    }
    return copies;
  }

  private static List<LayerEntry> entries(CopyToRoot copy) throws IOException {
    Path source = copy.source();
    if (Files.isDirectory(source)) {
      try {
        // A symlink naming a directory is copied as that directory's contents, as cp -r does.
        return HostTree.entries(
            source.toRealPath(), copy.target(), copy.mode(), copy.uid(), copy.gid());
      } catch (IOException e) {
        throw new IOException("cannot read " + source + ": " + e.getMessage(), e);
      }
    }
    int mode = copy.mode().isPresent() ? copy.mode().getAsInt() : hostMode(source);
    return List.of(
        LayerEntry.file(copy.target(), Content.ofFile(source), mode, copy.uid(), copy.gid()));
  }

  private static int hostMode(Path file) throws IOException {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      int mode = 0;
      for (PosixFilePermission permission : permissions) {
        mode |= 1 << (8 - permission.ordinal());
      }
      return mode;
    } catch (IOException e) {
      throw new IOException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
    }
  }
}
