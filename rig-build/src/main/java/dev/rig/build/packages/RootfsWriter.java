package dev.rig.build.packages;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.deb.UnpackedEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
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
  private final boolean addOnly;
  private final boolean linking;

  RootfsWriter(Path root) {
    this(root, path -> true);
  }

  /** A writer that leaves out every path {@code keeps} refuses (the slim options' filter). */
  RootfsWriter(Path root, Predicate<String> keeps) {
    this(root, keeps, false, false);
  }

  private RootfsWriter(Path root, Predicate<String> keeps, boolean addOnly, boolean linking) {
    this.root = root;
    this.keeps = keeps;
    this.addOnly = addOnly;
    this.linking = linking;
  }

  /**
   * This writer, but one that writes a package's regular files as hard links to its unpacked tree
   * instead of copies, with the tree's modes (the entry's mode plus owner read and write): for a
   * root that is only ever mounted read-only. It makes no inode per file, which on a file system
   * with many recently deleted files is most of the cost of writing one.
   */
  RootfsWriter linking() {
    return new RootfsWriter(root, keeps, addOnly, true);
  }

  /**
   * This writer, but one that only adds: a path that exists in the root already (as anything) is
   * left as it is. For a root that dpkg has configured, where what is there belongs to installed
   * packages or their scripts.
   */
  RootfsWriter addingOnly() {
    return new RootfsWriter(root, keeps, true, linking);
  }

  /** Writes every entry of an unpacked package. */
  void write(UnpackedDeb deb) throws IOException {
    for (UnpackedEntry entry : deb.entries()) {
      Path content =
          switch (entry.type()) {
            case FILE -> deb.hostPath(entry.path());
            case HARDLINK -> deb.hostPath(entry.linkTarget());
            default -> null;
          };
      write(
          entry,
          content == null
              ? null
              : linking
                  ? target -> Files.createLink(target, content)
                  : target -> Files.copy(content, target));
    }
  }

  /**
   * Writes what of a package must be in the root before dpkg unpacks it, though dpkg writes its
   * files: the directories (dpkg leaves an existing directory as it finds it, and scripts expect
   * directories whose files the slim options leave out), the symlinks (later paths resolve through
   * them) and the conffiles (dpkg keeps an identical conffile it finds, and activates no trigger
   * for it). Every other file dpkg replaces whatever was there, so it is not written.
   */
  void writeSkeleton(RepackedDeb deb) throws IOException {
    for (UnpackedEntry entry : deb.entries()) {
      switch (entry.type()) {
        case DIRECTORY, SYMLINK -> write(entry, null);
        case FILE -> {
          Optional<byte[]> conffile = deb.conffile(entry.path());
          if (conffile.isPresent()) {
            write(
                entry,
                target -> Files.write(target, conffile.get(), StandardOpenOption.CREATE_NEW));
          }
        }
        default -> {
          // Hardlinks are made by dpkg; rig's copy would only be replaced.
        }
      }
    }
  }

  /** Writes a file's bytes to a new file (never through what was at its path). */
  @FunctionalInterface
  private interface Content {
    void writeTo(Path target) throws IOException;
  }

  private void write(UnpackedEntry entry, Content content) throws IOException {
    if (entry.path().equals("/")) {
      return;
    }
    // Directories stay even when filtered out: maintainer scripts expect them (openjdk's
    // update-alternatives links a man page into /usr/share/man/man1), and empty ones cost
    // nothing.
    if (entry.type() != DataEntry.Type.DIRECTORY && !keeps.test(entry.path())) {
      return;
    }
    Path target = hostPath(entry.path());
    if (addOnly && (Files.exists(target) || Files.isSymbolicLink(target))) {
      return;
    }
    switch (entry.type()) {
      case DIRECTORY -> {
        if (!Files.isDirectory(target)) {
          Files.deleteIfExists(target);
          Files.createDirectories(target);
        }
        mode(target, entry.mode());
      }
      case FILE, HARDLINK -> {
        // A hardlink is written as a copy: enough to boot dpkg, which makes the real link when it
        // unpacks the package.
        replaceable(target);
        Files.deleteIfExists(target);
        content.writeTo(target);
        if (!linking) {
          // A link shares the unpacked tree's inode, whose mode must stay as the tree has it.
          mode(target, entry.mode());
        }
      }
      case SYMLINK -> {
        replaceable(target);
        Files.deleteIfExists(target);
        Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
      }
      default -> {
        // Devices and fifos are refused by the unpacker.
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
