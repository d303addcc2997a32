package dev.rig.build.cache;

import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists what a cache directory holds: every entry of every {@link CacheKind} with what it takes on
 * disk, and the leftovers of interrupted runs ({@code .tmp-PID-...} of processes that are gone).
 * Temporary entries of running processes are neither: they are left out.
 */
final class CacheScan {
  /** Where leftovers directly in the cache root or in its usage records are reported. */
  static final CacheKind OTHER =
      new CacheKind("other", "", 1, CacheKind.Tracking.WRITTEN, "lock and usage records");

  /** The scan of one cache. */
  record Result(Path root, List<ScannedEntry> entries, List<ScannedEntry> leftovers) {
    Result {
      entries = List.copyOf(entries);
      leftovers = List.copyOf(leftovers);
    }
  }

  private CacheScan() {}

  static Result of(Path root) throws IOException {
    List<ScannedEntry> entries = new ArrayList<>();
    List<ScannedEntry> leftovers = new ArrayList<>();
    for (CacheKind kind : CacheKind.ALL) {
      Path dir = root.resolve(kind.dir());
      for (Path table : kind.depth() == 2 ? children(root, dir, kind, leftovers) : List.of(dir)) {
        for (Path child : children(root, table, kind, leftovers)) {
          measure(root, kind, child).ifPresent(entries::add);
        }
      }
    }
    children(root, root, OTHER, leftovers);
    children(root, root.resolve(UsageRecords.DIR), OTHER, leftovers);
    return new Result(root, entries, leftovers);
  }

  /**
   * The children of {@code dir} that are entries; leftovers among them go to {@code leftovers},
   * temporary entries of running processes nowhere.
   */
  private static List<Path> children(
      Path root, Path dir, CacheKind kind, List<ScannedEntry> leftovers) throws IOException {
    List<Path> children = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return children;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        String name = child.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          if (TempNames.isLeftover(child)) {
            measure(root, kind, child).ifPresent(leftovers::add);
          }
        } else if (kind != OTHER) {
          children.add(child);
        }
      }
    }
    children.sort(null);
    return children;
  }

  /** The entry at {@code path} with its sizes; empty when it vanished while being read. */
  static Optional<ScannedEntry> measure(Path root, CacheKind kind, Path path) throws IOException {
    BasicFileAttributes top;
    try {
      top = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    long[] sole = {0};
    List<ScannedEntry.LinkedFile> linked = new ArrayList<>();
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (attrs.isRegularFile()) {
                int links = links(file);
                if (links > 1 && attrs.fileKey() != null) {
                  linked.add(new ScannedEntry.LinkedFile(attrs.fileKey(), attrs.size(), links));
                } else {
                  sole[0] += attrs.size();
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String name = root.relativize(path).toString();
    return Optional.of(
        new ScannedEntry(
            kind,
            name,
            path,
            top.isDirectory(),
            top.lastModifiedTime().toInstant(),
            sole[0],
            linked));
  }

  /** The file's hard link count (1 where the file system cannot say). */
  private static int links(Path file) throws IOException {
    try {
      Map<String, Object> unix =
          Files.readAttributes(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return ((Number) unix.get("nlink")).intValue();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }
}
