package dev.rig.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
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
