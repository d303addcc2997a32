package dev.rig.apt.repo;

import java.io.IOException;
import java.util.Optional;

/** Reads files of one apt repository by path relative to its root (the URI in sources.list). */
public interface RepositoryFetcher {
  /**
   * Returns the file's bytes, or empty when the repository does not have it (so callers can fall
   * back from {@code Packages.xz} to {@code Packages.gz}); other failures throw.
   */
  Optional<byte[]> fetch(String relativePath) throws IOException;

  /** Where the repository is, for messages. */
  String describe();
}
