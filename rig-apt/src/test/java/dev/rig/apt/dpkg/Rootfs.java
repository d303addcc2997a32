package dev.rig.apt.dpkg;

import dev.rig.oci.layer.ImagePaths;
import dev.rig.oci.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes layer entries into a directory the way a container runtime would extract the layer, so
 * that real dpkg can inspect the result. Test-only: no safety checks beyond the entries' own.
 */
public final class Rootfs {
  private Rootfs() {}

  public static void materialise(List<LayerEntry> entries, Path root) throws IOException {
    for (LayerEntry e : entries) {
      Path p = root.resolve(e.path().substring(1));
      for (String parent : ImagePaths.parents(e.path())) {
        Path d = root.resolve(parent.substring(1));
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(d);
        }
      }
      switch (e.type()) {
        case DIRECTORY -> {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(p);
          }
          chmod(p, e.mode());
        }
        case FILE -> {
          try (InputStream in = e.content().open()) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
          chmod(p, e.mode());
        }
        case SYMLINK -> {
          Files.deleteIfExists(p);
          Files.createSymbolicLink(p, Path.of(e.linkTarget()));
        }
        case HARDLINK -> {
          Files.deleteIfExists(p);
          Files.createLink(p, root.resolve(e.linkTarget().substring(1)));
        }
      }
    }
  }

  private static void chmod(Path p, int mode) throws IOException {
    Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
  }
}
