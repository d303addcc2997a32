package dev.rig.build.packages;

import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.RepositoryFetcher;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * One suite of one apt repository, ready to read: where it is, which components, and the key its
 * InRelease must be signed with.
 *
 * <p>The key is parsed and the fetcher made on first use: a rebuild whose packages are locked and
 * installed already reads neither (parsing an archive keyring and setting up an HTTPS client took
 * about a fifth of a warm rebuild's time).
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
    Once<Keyring> parsedKeyring,
    byte[] keyringBytes,
    Once<RepositoryFetcher> madeFetcher,
    String lockUri) {
  public RepoSource {
    components = List.copyOf(components);
    keyringBytes = keyringBytes.clone();
  }

  /** Something made on first use, once (a failure is thrown to each caller that asks). */
  public static final class Once<T> {
    private final Supplier<T> maker;
    private T value;

    public Once(Supplier<T> maker) {
      this.maker = maker;
    }

    public synchronized T get() {
      if (value == null) {
        value = maker.get();
      }
      return value;
    }
  }

  /** The key the suite's InRelease must be signed with. */
  public Keyring keyring() {
    return parsedKeyring.get();
  }

  public RepositoryFetcher fetcher() {
    return madeFetcher.get();
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
