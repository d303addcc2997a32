package dev.rig.oci.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Names of the temporary files and directories rig makes in its cache, and the sweep that removes
 * those an interrupted run left behind (a killed build can leave gigabytes of half-installed
 * roots). Every name says which process made it, {@code .tmp-PID-...}: an entry whose process no
 * longer runs is debris; an entry of a running process is never touched, so a sweep in one build
 * cannot break another that shares the cache.
 */
public final class TempNames {
  /** Entries from before names carried a PID are debris once this old. */
  static final Duration UNNAMED_AGE = Duration.ofDays(1);

  private TempNames() {}

  /** The prefix of this process's temporary names: {@code .tmp-PID-}. */
  public static String prefix() {
    return AtomicFiles.TEMP_PREFIX + ProcessHandle.current().pid() + "-";
  }

  /** What a sweep removed. */
  public record Swept(int entries, long bytes) {
    public static final Swept NONE = new Swept(0, 0);

    Swept plus(Swept other) {
      return new Swept(entries + other.entries, bytes + other.bytes);
    }
  }

  /** Removes the debris directly under each of {@code dirs} (missing ones are skipped). */
  public static Swept sweep(Path... dirs) throws IOException {
    Swept total = Swept.NONE;
    for (Path dir : dirs) {
      total = total.plus(sweep(dir, Instant.now()));
    }
    return total;
  }

  static Swept sweep(Path dir, Instant now) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Swept.NONE;
    }
    Swept swept = Swept.NONE;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (isDebris(entry, now)) {
          swept = swept.plus(delete(entry));
        }
      }
    }
    return swept;
  }

  /**
   * Whether {@code entry} is a temporary entry of a run that no longer runs (what {@link #sweep}
   * removes), for callers that report or remove leftovers themselves.
   */
  public static boolean isLeftover(Path entry) throws IOException {
    return isDebris(entry, Instant.now());
  }

  static boolean isDebris(Path entry, Instant now) throws IOException {
    String name = entry.getFileName().toString();
    if (!name.startsWith(AtomicFiles.TEMP_PREFIX)) {
      return false;
    }
    Optional<Long> pid = pid(name);
    if (pid.isPresent()) {
      return ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true);
    }
    Instant modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant();
    return modified.isBefore(now.minus(UNNAMED_AGE));
  }

  /** The PID in {@code .tmp-PID-rest}, if the name has one. */
  static Optional<Long> pid(String name) {
    String rest = name.substring(AtomicFiles.TEMP_PREFIX.length());
    int dash = rest.indexOf('-');
    if (dash <= 0 || dash > 10) {
      return Optional.empty();
    }
    String digits = rest.substring(0, dash);
    if (!digits.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(digits));
  }

  private static Swept delete(Path entry) throws IOException {
    long[] counted = {0, 0};
    Files.walkFileTree(
        entry,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            counted[1] += attrs.isRegularFile() ? attrs.size() : 0;
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
    counted[0] = 1;
    return new Swept((int) counted[0], counted[1]);
  }
}
