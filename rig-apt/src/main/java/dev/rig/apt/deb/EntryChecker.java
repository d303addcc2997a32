package dev.rig.apt.deb;

import dev.rig.oci.layer.ImagePaths;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the entries of one package's data archive, in archive order, before anything is written
 * for them: no {@code ..}, no absolute names, nothing under a symlink or a file the same package
 * made, no path twice, no hardlink to anything but an earlier regular file of the package, no
 * devices or fifos. What it accepts is safe to write inside a root; what it refuses never is.
 *
 * <p>One instance per archive: it remembers what the archive has shown so far.
 */
final class EntryChecker {
  private final String pkg;
  private final Map<String, DataEntry.Type> seen = new HashMap<>();

  /**
   * @param pkg the package's name and version, for messages
   */
  EntryChecker(String pkg) {
    this.pkg = pkg;
  }

  /**
   * The checked entry, or empty for entries that add nothing: the archive's root and a directory
   * named again.
   */
  Optional<UnpackedEntry> check(DataEntry e) throws UnsafePackageException {
    String path = imagePath(e.name(), "entry");
    if (path == null) {
      return Optional.empty();
    }
    for (String parent : ImagePaths.parents(path)) {
      DataEntry.Type t = seen.get(parent);
      if (t == DataEntry.Type.SYMLINK) {
        throw new UnsafePackageException(
            "package "
                + pkg
                + ": data.tar entry '"
                + e.name()
                + "' lies under "
                + parent
                + ", a symlink in the same package; refusing to write through it");
      }
      if (t != null && t != DataEntry.Type.DIRECTORY) {
        throw new UnsafePackageException(
            "package " + pkg + ": data.tar entry '" + e.name() + "' lies under a file");
      }
    }
    DataEntry.Type previous = seen.get(path);
    if (previous != null) {
      if (previous == DataEntry.Type.DIRECTORY && e.type() == DataEntry.Type.DIRECTORY) {
        return Optional.empty();
      }
      throw new UnsafePackageException(
          "package " + pkg + ": data.tar has '" + e.name() + "' twice");
    }
    String link = "";
    switch (e.type()) {
      case FILE, DIRECTORY -> {}
      case SYMLINK -> {
        link = e.linkTarget();
        if (link.isEmpty() || link.indexOf('\0') >= 0) {
          throw new UnsafePackageException(
              "package " + pkg + ": symlink '" + e.name() + "' has an empty target");
        }
      }
      case HARDLINK -> {
        link = imagePath(e.linkTarget(), "hardlink target");
        if (link == null || seen.get(link) != DataEntry.Type.FILE) {
          throw new UnsafePackageException(
              "package "
                  + pkg
                  + ": hardlink '"
                  + e.name()
                  + "' points to '"
                  + e.linkTarget()
                  + "', which is no earlier regular file of the package");
        }
      }
      case OTHER ->
          throw new UnsafePackageException(
              "package "
                  + pkg
                  + ": data.tar entry '"
                  + e.name()
                  + "' is a device or fifo, which rig does not install");
    }
    seen.put(path, e.type());
    return Optional.of(
        new UnpackedEntry(path, e.type(), e.mode(), e.uname(), e.gname(), e.uid(), e.gid(), link));
  }

  /**
   * The absolute image path of an archive name, or null for the root itself. Archive names are
   * relative ({@code ./usr/bin/x}); an absolute name or a {@code ..} segment is refused rather than
   * reinterpreted, since no package built by dpkg-deb has one.
   */
  private String imagePath(String name, String what) throws UnsafePackageException {
    if (name.startsWith("/")) {
      throw new UnsafePackageException(
          "package " + pkg + ": data.tar " + what + " '" + name + "' is an absolute path");
    }
    if (name.indexOf('\0') >= 0) {
      throw new UnsafePackageException(
          "package " + pkg + ": data.tar " + what + " '" + name + "' contains NUL");
    }
    StringBuilder out = new StringBuilder();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new UnsafePackageException(
            "package " + pkg + ": data.tar " + what + " '" + name + "' contains '..'");
      }
      out.append('/').append(segment);
    }
    return out.isEmpty() ? null : out.toString();
  }
}
