package dev.rig.apt.repo;

import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Index files (Packages, as the Release file lists them) kept by their SHA-256, so resolving again
 * while the mirror has not moved costs the signed Release file and no index download. What comes
 * out is checked against the Release file like a download, so a damaged entry is fetched again.
 */
public final class IndexCache {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  private IndexCache(Path dir) {
    this.dir = dir;
  }

  /** A cache in {@code dir} (made when the first index is stored). */
  public static IndexCache in(Path dir) {
    return new IndexCache(dir);
  }

  /** The bytes stored under {@code sha256}, unchecked; empty when none are. */
  Optional<byte[]> get(String sha256) throws IOException {
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(sha256);
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  /** Stores verified bytes under their SHA-256 (temp name, then rename). */
  void put(String sha256, byte[] bytes) throws IOException {
    if (SHA256.matcher(sha256).matches()) {
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve(sha256), bytes);
    }
  }
}
