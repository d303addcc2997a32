package dev.rig.oci.layer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns a directory tree on the host into layer entries.
 *
 * <ul>
 *   <li>Walks recursively in sorted name order, so the result does not depend on the file system's
 *       listing order.
 *   <li>Symlinks are kept as symlinks with their target text; they are never followed.
 *   <li>Hardlinked host files become independent regular files.
 *   <li>Without an override, files and directories keep their host permission bits (including
 *       setuid/setgid/sticky). With an override, files get exactly the override, and directories
 *       get the override plus the search (x) bit wherever it grants read (like chmod's "X"): 0644
 *       gives 0755 directories, 0600 gives 0700, so the tree stays traversable.
 *   <li>The host directory itself becomes a directory entry at {@code imagePath} (unless that is
 *       "/").
 *   <li>Fifos, sockets and device files are rejected.
 * </ul>
 */
public final class HostTree {
  private HostTree() {}

  public static List<LayerEntry> entries(
      Path hostDir, String imagePath, OptionalInt modeOverride, int uid, int gid)
      throws IOException {
    if (!Files.isDirectory(hostDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("not a directory (or a symlink to one): " + hostDir);
    }
    String root = ImagePaths.normalize(imagePath);
    List<LayerEntry> out = new ArrayList<>();
    walk(hostDir, root, modeOverride, uid, gid, out);
    return List.copyOf(out);
  }

  private static void walk(
      Path dir, String imageDir, OptionalInt override, int uid, int gid, List<LayerEntry> out)
      throws IOException {
    if (!imageDir.equals("/")) {
      int mode = override.isPresent() ? directoryMode(override.getAsInt()) : hostMode(dir);
      out.add(LayerEntry.directory(imageDir, mode, uid, gid));
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    children.sort((a, b) -> ImagePaths.TAR_ORDER.compare(name(a), name(b)));
    for (Path child : children) {
      String imageChild = ImagePaths.join(imageDir, name(child));
      BasicFileAttributes attributes =
          Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        out.add(LayerEntry.symlink(imageChild, Files.readSymbolicLink(child).toString(), uid, gid));
      } else if (attributes.isDirectory()) {
        walk(child, imageChild, override, uid, gid, out);
      } else if (attributes.isRegularFile()) {
        int mode = override.isPresent() ? override.getAsInt() : hostMode(child);
        out.add(LayerEntry.file(imageChild, Content.ofFile(child), mode, uid, gid));
      } else {
        throw new IOException(
            child + ": only regular files, directories and symlinks can go into a layer");
      }
    }
  }

  /** Adds x for owner/group/other wherever r is granted. */
  static int directoryMode(int mode) {
    int searchable = mode;
    for (int shift = 0; shift <= 6; shift += 3) {
      if ((mode & (04 << shift)) != 0) {
        searchable |= 01 << shift;
      }
    }
    return searchable;
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }

  /** The host's permission bits including setuid/setgid/sticky, without following symlinks. */
  private static int hostMode(Path path) throws IOException {
    try {
      Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return ((Integer) mode) & 07777;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // No "unix" view (not Linux/macOS): fall back to rwx bits only.
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      int mode = 0;
      for (PosixFilePermission permission : permissions) {
        mode |= 0400 >> permission.ordinal();
      }
      return mode;
    }
  }
}
