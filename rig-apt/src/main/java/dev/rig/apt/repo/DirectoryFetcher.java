package dev.rig.apt.repo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A repository on the local disk (a mirror copy, a test fixture, a {@code file:} source). */
public record DirectoryFetcher(Path root) implements RepositoryFetcher {
  public DirectoryFetcher {
    root = root.toAbsolutePath().normalize();
  }

  @Override
  public Optional<byte[]> fetch(String relativePath) throws IOException {
    Path file = root.resolve(relativePath).normalize();
    if (!file.startsWith(root)) {
      // Paths come from signed metadata, but a path that leaves the root is never legitimate.
      throw new IOException(relativePath + " points outside the repository " + root);
    }
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.readAllBytes(file));
  }

  @Override
  public Optional<InputStream> open(String relativePath) throws IOException {
    Path file = root.resolve(relativePath).normalize();
    if (!file.startsWith(root)) {
      throw new IOException(relativePath + " points outside the repository " + root);
    }
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.newInputStream(file));
  }

  @Override
  public Optional<Ranged> openFrom(String relativePath, long offset) throws IOException {
    Optional<InputStream> in = open(relativePath);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    in.get().skipNBytes(Math.min(offset, Files.size(root.resolve(relativePath).normalize())));
    return Optional.of(new Ranged(in.get(), offset));
  }

  @Override
  public String describe() {
    return root.toString();
  }
}
