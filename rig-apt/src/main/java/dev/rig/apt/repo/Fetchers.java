package dev.rig.apt.repo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Turns a {@link SourceEntry} into the fetcher and keyring that read it. */
public final class Fetchers {
  private Fetchers() {}

  /** {@code file:} reads the directory; {@code http:} and {@code https:} use java.net.http. */
  public static RepositoryFetcher forUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    return switch (scheme) {
      case "file" -> new DirectoryFetcher(Path.of(uri.getPath()));
      case "http", "https" -> HttpFetcher.of(uri);
      default -> throw new IllegalArgumentException("unsupported repository URI scheme: " + uri);
    };
  }

  /**
   * The keyring named by Signed-By: a file path, or an armored key written inline (deb822 allows
   * both). A source without Signed-By is refused: rig never falls back to a global trust store.
   */
  public static Keyring keyring(SourceEntry entry) throws IOException {
    String signedBy =
        entry
            .signedBy()
            .orElseThrow(
                () ->
                    new SignatureException(
                        entry.uri() + " " + entry.suite() + " has no Signed-By key; add one"));
    if (signedBy.contains("BEGIN PGP PUBLIC KEY BLOCK")) {
      // deb822 writes an empty line of the key as " ."; the parser keeps that '.'.
      String armored = signedBy.replaceAll("(?m)^\\.$", "");
      return Keyring.parse(entry.uri() + " Signed-By", armored.getBytes(StandardCharsets.UTF_8));
    }
    return Keyring.read(Path.of(signedBy));
  }

  /** A reader for the entry's suite, verified with its Signed-By key. */
  public static SuiteReader reader(SourceEntry entry) throws IOException {
    return new SuiteReader(forUri(entry.uri()), entry.suite(), keyring(entry));
  }
}
