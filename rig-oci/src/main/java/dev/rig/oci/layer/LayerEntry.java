package dev.rig.oci.layer;

import java.util.Objects;

/**
 * One entry of a layer, as the build module describes it. Values are checked on construction so
 * that a bad entry fails where it is made, not deep in the tar writer.
 *
 * @param path absolute, normalised image path, e.g. "/bin/busybox" (never "/")
 * @param type what the entry is
 * @param mode permission bits including setuid/setgid/sticky (0..07777)
 * @param uid owner (0..65535)
 * @param gid group (0..65535)
 * @param content the bytes of a {@link EntryType#FILE}; null for other types
 * @param linkTarget the target of a symlink (any text) or of a hardlink (an absolute image path of
 *     a FILE in the same layer); null for other types
 */
public record LayerEntry(
    String path, EntryType type, int mode, int uid, int gid, Content content, String linkTarget) {

  public static final int MAX_ID = 65535;

  public LayerEntry {
    path = ImagePaths.normalize(path);
    if (path.equals("/")) {
      throw new IllegalArgumentException("a layer entry cannot be the root directory '/'");
    }
    Objects.requireNonNull(type, "type");
    if (mode < 0 || mode > 07777) {
      throw new IllegalArgumentException(
          path + ": mode " + Integer.toOctalString(mode) + " is not within 0..07777");
    }
    checkId(path, "uid", uid);
    checkId(path, "gid", gid);
    switch (type) {
      case FILE -> {
        if (content == null) {
          throw new IllegalArgumentException(path + ": a file needs content");
        }
        requireNull(path, "link target", linkTarget);
      }
      case DIRECTORY -> {
        requireNull(path, "content", content);
        requireNull(path, "link target", linkTarget);
      }
      case SYMLINK -> {
        requireNull(path, "content", content);
        if (linkTarget == null || linkTarget.isEmpty() || linkTarget.indexOf('\0') >= 0) {
          throw new IllegalArgumentException(path + ": a symlink needs a non-empty target");
        }
      }
      case HARDLINK -> {
        requireNull(path, "content", content);
        if (linkTarget == null) {
          throw new IllegalArgumentException(path + ": a hardlink needs a target");
        }
        linkTarget = ImagePaths.normalize(linkTarget);
        if (linkTarget.equals(path)) {
          throw new IllegalArgumentException(path + ": a hardlink cannot point to itself");
        }
      }
    }
  }

  public static LayerEntry file(String path, Content content, int mode, int uid, int gid) {
    return new LayerEntry(path, EntryType.FILE, mode, uid, gid, content, null);
  }

  public static LayerEntry directory(String path, int mode, int uid, int gid) {
    return new LayerEntry(path, EntryType.DIRECTORY, mode, uid, gid, null, null);
  }

  /** A symlink; its mode is always 0777 (Linux ignores symlink permissions). */
  public static LayerEntry symlink(String path, String target, int uid, int gid) {
    return new LayerEntry(path, EntryType.SYMLINK, 0777, uid, gid, null, target);
  }

  /**
   * A hardlink to {@code target}, a regular file in the same layer. The link shares the target's
   * mode and owner, so it has none of its own.
   */
  public static LayerEntry hardlink(String path, String target) {
    return new LayerEntry(path, EntryType.HARDLINK, 0, 0, 0, null, target);
  }

  /** This entry moved to another path (used when hardlink roles are swapped). */
  LayerEntry withPath(String newPath) {
    return new LayerEntry(newPath, type, mode, uid, gid, content, linkTarget);
  }

  private static void checkId(String path, String what, int id) {
    if (id < 0 || id > MAX_ID) {
      throw new IllegalArgumentException(
          path + ": " + what + " " + id + " is not within 0.." + MAX_ID);
    }
  }

  private static void requireNull(String path, String what, Object value) {
    if (value != null) {
      throw new IllegalArgumentException(path + ": this entry type takes no " + what);
    }
  }
}
