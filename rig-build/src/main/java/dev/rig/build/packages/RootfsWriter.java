package dev.rig.build.packages;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.deb.UnpackedEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

/**
 * Writes unpacked packages into a root directory the way {@code dpkg-deb -x} into a chroot would:
 * paths are resolved inside the root, following the root's own symlinks (/bin → usr/bin) and never
 * the host's, so an absolute link in the image cannot send a write outside it.
 */
final class RootfsWriter {
  private static final int MAX_LINKS = 40;

  private final Path root;
  private final Predicate<String> keeps;

  RootfsWriter(Path root) {
    this(root, path -> true);
  }

  /** A writer that leaves out every path {@code keeps} refuses (the slim options' filter). */
  RootfsWriter(Path root, Predicate<String> keeps) {
    this.root = root;
    this.keeps = keeps;
  }

  void write(UnpackedDeb deb) throws IOException {
    for (UnpackedEntry entry : deb.entries()) {
      if (entry.path().equals("/")) {
        continue;
      }
      // Directories stay even when filtered out: maintainer scripts expect them (openjdk's
      // update-alternatives links a man page into /usr/share/man/man1), and empty ones cost
      // nothing.
      if (entry.type() != DataEntry.Type.DIRECTORY && !keeps.test(entry.path())) {
        continue;
      }
      Path target = hostPath(entry.path());
      switch (entry.type()) {
        case DIRECTORY -> {
          if (!Files.isDirectory(target)) {
            Files.deleteIfExists(target);
            Files.createDirectories(target);
          }
          mode(target, entry.mode());
        }
        case FILE -> {
          replaceable(target);
          Files.copy(deb.hostPath(entry.path()), target, StandardCopyOption.REPLACE_EXISTING);
          mode(target, entry.mode());
        }
        case SYMLINK -> {
          replaceable(target);
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
        }
        case HARDLINK -> {
          // A copy is enough to boot dpkg; dpkg writes the real link when it unpacks the package.
          replaceable(target);
          Files.copy(deb.hostPath(entry.linkTarget()), target, StandardCopyOption.REPLACE_EXISTING);
          mode(target, entry.mode());
        }
        default -> {
          // Devices and fifos are refused by the unpacker.
        }
      }
    }
  }

  private static void replaceable(Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(target + " is a directory in the image and a file in a package");
    }
  }

  private static void mode(Path path, int mode) throws IOException {
    Files.setAttribute(path, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
  }

  /** The host path of {@code imagePath}: its parents resolved inside the root, the last not. */
  Path hostPath(String imagePath) throws IOException {
    String parent = resolveDirectory(parentOf(imagePath), 0);
    Path dir = root.resolve(parent.substring(1));
    Files.createDirectories(dir);
    return dir.resolve(nameOf(imagePath));
  }

  /** Follows symlinks along {@code dir} inside the root; returns a link-free absolute path. */
  private String resolveDirectory(String dir, int depth) throws IOException {
    if (depth > MAX_LINKS) {
      throw new IOException("too many levels of symbolic links resolving " + dir + " in the image");
    }
    StringBuilder done = new StringBuilder();
    String[] parts = dir.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        int slash = done.lastIndexOf("/");
        done.setLength(Math.max(0, slash));
        continue;
      }
      String next = done + "/" + part;
      Path host = root.resolve(next.substring(1));
      if (Files.isSymbolicLink(host)) {
        String link = Files.readSymbolicLink(host).toString();
        String rest = String.join("/", java.util.Arrays.asList(parts).subList(i + 1, parts.length));
        String base = link.startsWith("/") ? link : (done.length() == 0 ? "/" : done) + "/" + link;
        return resolveDirectory(base + "/" + rest, depth + 1);
      }
      done.append('/').append(part);
    }
    return done.length() == 0 ? "/" : done.toString();
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
