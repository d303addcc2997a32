package dev.rig.build.packages;

import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.RepositoryFetcher;
import java.net.URI;
import java.util.List;

/**
 * One suite of one apt repository, ready to read: where it is, which components, and the key its
 * InRelease must be signed with.
 *
 * @param name a short name for the image's apt sources and keyring file ({@code debian}, {@code
 *     repo1}, ...)
 * @param keyringBytes the keyring as given (binary or armored), copied into the image for apt
 * @param lockUri how rig.lock names the repository: the URI for a repository the spec writes out,
 *     {@code debian:} or {@code ubuntu:} for a distribution shorthand, so a lock made with one
 *     mirror is valid with any other
 */
public record RepoSource(
    String name,
    URI uri,
    String suite,
    List<String> components,
    Keyring keyring,
    byte[] keyringBytes,
    RepositoryFetcher fetcher,
    String lockUri) {
  public RepoSource {
    components = List.copyOf(components);
    keyringBytes = keyringBytes.clone();
  }

  @Override
  public byte[] keyringBytes() {
    return keyringBytes.clone();
  }

  /** Matches the origin a lock records for packages of this source. */
  boolean serves(String originUri, String originSuite) {
    return lockUri.equals(originUri) && suite.equals(originSuite);
  }
}
