package dev.rig.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Small file-tree helpers. */
final class Fs {
  private Fs() {}

  /** The bytes of all regular files under {@code dir} (symlinks not followed). */
  static long regularFileBytes(Path dir) throws IOException {
    AtomicLong total = new AtomicLong();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              total.addAndGet(attrs.size());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return total.get();
  }

  /** Deletes a tree without following symlinks; missing is fine. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            // Unpacked packages may hold read-only directories.
            d.toFile().setWritable(true, true);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Deletes a tree as {@link #deleteTree} does, but refuses one with a mount point inside: a step
   * stopped midway (mmdebstrap's chroot, a podman store) can leave /proc, /sys or the host's own
   * /dev/shm mounted in it, and deleting through those mounts would delete the host's files.
   */
  static void deleteTreeUnlessMounted(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<String> mounts = mountsUnder(dir.toRealPath());
    if (!mounts.isEmpty()) {
      throw new IOException(
          dir
              + " still has "
              + mounts.size()
              + " mount(s) inside, e.g. "
              + mounts.get(0)
              + "; not deleted: unmount them (umount -l) and delete it by hand");
    }
    deleteTree(dir);
  }

  /** The mount points at or below {@code dir} (a real path), from /proc/self/mounts. */
  static List<String> mountsUnder(Path dir) throws IOException {
    String root = dir.toString();
    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length < 2) {
        continue;
      }
      // The kernel writes a space, tab, newline or backslash in a path as a 3-digit octal escape.
      String point =
          OCTAL_ESCAPE
              .matcher(fields[1])
              .replaceAll(m -> Character.toString((char) Integer.parseInt(m.group(1), 8)));
      if (point.equals(root) || point.startsWith(root + "/")) {
        found.add(point);
      }
    }
    return found;
  }

  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  /** The smallest regular file under {@code dir}, preferring its package's copyright file. */
  static Path smallFile(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> p.toString().contains("/usr/share/doc/"))
          .min(
              (a, b) -> {
                try {
                  return Long.compare(Files.size(a), Files.size(b));
                } catch (IOException e) {
                  return 0;
                }
              })
          .orElseGet(
              () -> {
                try (Stream<Path> all = Files.walk(dir)) {
                  return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                      .findFirst()
                      .orElseThrow(() -> new BenchException(dir + " holds no regular file"));
                } catch (IOException e) {
                  throw new BenchException("cannot list " + dir, e);
                }
              });
    }
  }
}
