package dev.rig.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The bytes a directory holds, as {@code du --apparent-size} counts them: every file and symlink
 * once, however many hard links it has under the directory. rig's cache hard-links one file into
 * many places (a .deb, a configured root, a layer's paths), so a plain sum of file sizes would
 * count the same bytes several times.
 */
final class DiskUsage {
  private DiskUsage() {}

  /**
   * The apparent size of every distinct inode under {@code dir}, directories left out; 0 if none.
   */
  static long of(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    Set<Object> seen = new HashSet<>();
    long[] total = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            // fileKey is (device, inode) on Linux; without one, every path counts.
            Object key = attrs.fileKey() == null ? file : attrs.fileKey();
            if (!attrs.isDirectory() && seen.add(key)) {
              total[0] += attrs.size();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // A temp file another process renamed away meanwhile: it is not part of the cache.
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }
}
