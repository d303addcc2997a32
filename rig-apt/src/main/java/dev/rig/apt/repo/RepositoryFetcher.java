package dev.rig.apt.repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads files of one apt repository by path relative to its root (the URI in sources.list). */
public interface RepositoryFetcher {
  /**
   * Returns the file's bytes, or empty when the repository does not have it (so callers can fall
   * back from {@code Packages.xz} to {@code Packages.gz}); other failures throw.
   */
  Optional<byte[]> fetch(String relativePath) throws IOException;

  /**
   * Opens the file as a stream, or empty when the repository does not have it. Packages can be
   * gigabytes (CUDA), so downloads stream to disk instead of going through {@link #fetch}.
   */
  default Optional<InputStream> open(String relativePath) throws IOException {
    return fetch(relativePath).map(ByteArrayInputStream::new);
  }

  /**
   * A stream of a file from byte {@code offset} on, to resume an interrupted download. A repository
   * that cannot skip (e.g. a server that ignores ranges) returns the whole file: {@link
   * Ranged#start()} says where the stream really begins.
   */
  default Optional<Ranged> openFrom(String relativePath, long offset) throws IOException {
    return open(relativePath).map(in -> new Ranged(in, 0));
  }

  /** A stream and the offset in the file of its first byte. */
  record Ranged(InputStream stream, long start) {}

  /** Where the repository is, for messages. */
  String describe();
}
