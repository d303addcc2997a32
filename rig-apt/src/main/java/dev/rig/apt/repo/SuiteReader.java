package dev.rig.apt.repo;

import dev.rig.apt.control.PackageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Reads one suite of a repository ({@code dists/SUITE}) and yields verified package lists: the
 * Release file is checked against the keyring, then each index against the Release file.
 */
public final class SuiteReader {
  /**
   * The forms of an index read, in order of preference. Gzip first where the Release file lists it:
   * the JDK inflates Debian's main index (56 MB) in about 0.2 s where xz-java takes 1.4 s, at the
   * start of every cold build, for 3.6 MB more to download once per Release (13.3 against 9.7 MB).
   * Plain is the last resort.
   */
  private static final List<String> SUFFIXES = List.of(".gz", ".xz", "");

  private final RepositoryFetcher fetcher;
  private final String suite;
  private final SignatureVerifier verifier;
  private final ReleaseValidity validity;
  private final Optional<IndexCache> cache;

  public SuiteReader(RepositoryFetcher fetcher, String suite, Keyring keyring) {
    this(fetcher, suite, keyring, Clock.systemUTC());
  }

  /** A reader that judges Valid-Until, Date and key expiry by {@code clock}. */
  public SuiteReader(RepositoryFetcher fetcher, String suite, Keyring keyring, Clock clock) {
    this(fetcher, suite, keyring, clock, Optional.empty());
  }

  private SuiteReader(
      RepositoryFetcher fetcher,
      String suite,
      Keyring keyring,
      Clock clock,
      Optional<IndexCache> cache) {
    this.fetcher = fetcher;
    this.suite = suite;
    this.verifier = new SignatureVerifier(keyring, clock);
    this.validity = new ReleaseValidity(clock);
    this.cache = cache;
  }

  /** A reader (by the system clock) that takes index files from {@code cache} when it has them. */
  public static SuiteReader cached(
      RepositoryFetcher fetcher, String suite, Keyring keyring, IndexCache cache) {
    return new SuiteReader(fetcher, suite, keyring, Clock.systemUTC(), Optional.of(cache));
  }

  /**
   * Whether the suite is a flat repository's ({@code deb URI /}, as NVIDIA's CUDA repository is):
   * Release and Packages lie in that directory of the repository, with no dists/ and no components.
   */
  public boolean flat() {
    return suite.endsWith("/");
  }

  /** The directory of the Release file, relative to the repository, ending in '/' (or empty). */
  private String dists() {
    if (flat()) {
      return suite.replaceFirst("^(\\./|/)+", "");
    }
    return "dists/" + suite + "/";
  }

  /**
   * Fetches InRelease (or Release + Release.gpg), verifies it, parses the signed text, and refuses
   * it when expired, dated in the future or made for another suite ({@link ReleaseValidity}).
   */
  public ReleaseFile release() throws IOException {
    String inReleasePath = dists() + "InRelease";
    Optional<byte[]> inRelease = fetcher.fetch(inReleasePath);
    if (inRelease.isPresent()) {
      String text = verifier.verifyClearsigned(where(inReleasePath), inRelease.get());
      return checked(where(inReleasePath), ReleaseFile.parse(where(inReleasePath), text));
    }
    String releasePath = dists() + "Release";
    byte[] release =
        fetcher
            .fetch(releasePath)
            .orElseThrow(
                () -> new IOException(where(dists()) + " has neither InRelease nor Release"));
    byte[] signature =
        fetcher
            .fetch(releasePath + ".gpg")
            .orElseThrow(
                () ->
                    new SignatureException(
                        where(releasePath) + " is unsigned (no InRelease, no Release.gpg)"));
    verifier.verifyDetached(where(releasePath), release, signature);
    return checked(
        where(releasePath),
        ReleaseFile.parse(where(releasePath), new String(release, StandardCharsets.UTF_8)));
  }

  private ReleaseFile checked(String url, ReleaseFile release) throws ReleaseRefusedException {
    validity.check(url, suite, release);
    return release;
  }

  /**
   * A verified index and where it came from, so that rig.lock can record exactly which index bytes
   * a resolution used.
   *
   * @param url where the index was read (repository location and path)
   * @param sha256 the SHA-256 of the index file as signed in the Release file
   */
  public record Index(String url, String sha256, List<PackageRecord> packages) {
    public Index {
      packages = List.copyOf(packages);
    }
  }

  /** The verified, parsed {@code COMPONENT/binary-ARCH/Packages} index of this suite. */
  public List<PackageRecord> packages(ReleaseFile release, String component, String arch)
      throws IOException {
    return index(release, component, arch).packages();
  }

  /** Like {@link #packages}, with the index's location and hash. */
  public Index index(ReleaseFile release, String component, String arch) throws IOException {
    // A flat repository has one index, at its top, whatever the component and architecture.
    String dir = flat() ? "" : component + "/binary-" + arch + "/";
    String base = dir + "Packages";
    for (String suffix : SUFFIXES) {
      String path = base + suffix;
      Optional<ReleaseFile.FileEntry> entry = release.entry(path);
      if (entry.isEmpty()) {
        continue;
      }
      // Records parsed before from the index this signed Release lists: no text read or parsed.
      Optional<List<PackageRecord>> parsed =
          cache.isPresent() ? cache.get().parsed(entry.get().sha256()) : Optional.empty();
      if (parsed.isPresent()) {
        return new Index(where(dists() + path), entry.get().sha256(), parsed.get());
      }
      // The index as text, kept when the Release file lists the uncompressed file too: a resolve
      // then neither downloads nor decompresses it. It is named as the file it was fetched as.
      Optional<ReleaseFile.FileEntry> plain = release.entry(base);
      Optional<byte[]> text =
          plain.isPresent() ? cached(release, base, plain.get().sha256()) : Optional.empty();
      if (text.isPresent()) {
        return parsedText(path, entry.get().sha256(), text.get());
      }
      Optional<byte[]> kept = cached(release, path, entry.get().sha256());
      if (kept.isPresent()) {
        byte[] decompressed = IndexFiles.decompress(path, kept.get());
        if (plain.isPresent() && matches(release, base, decompressed)) {
          cache.get().put(plain.get().sha256(), decompressed);
        }
        return parsedText(path, entry.get().sha256(), decompressed);
      }
      // By-hash paths never change under a reader, which avoids a race with a mirror update.
      String fetchPath =
          release.acquireByHash() ? dir + "by-hash/SHA256/" + entry.get().sha256() : path;
      Optional<byte[]> bytes = fetcher.fetch(dists() + fetchPath);
      if (bytes.isEmpty() && release.acquireByHash()) {
        bytes = fetcher.fetch(dists() + path);
      }
      if (bytes.isEmpty()) {
        continue;
      }
      byte[] ok = IndexFiles.verified(release, where(dists() + "InRelease"), path, bytes.get());
      byte[] decompressed = IndexFiles.decompress(path, ok);
      if (cache.isPresent()) {
        if (plain.isPresent() && matches(release, base, decompressed)) {
          cache.get().put(plain.get().sha256(), decompressed);
        } else {
          cache.get().put(entry.get().sha256(), ok);
        }
      }
      return parsedText(path, entry.get().sha256(), decompressed);
    }
    throw new IOException(
        where(dists() + base) + ": no index listed in the Release file could be fetched");
  }

  /** The cache's copy of {@code path} when it matches the Release file; a damaged one is not. */
  private Optional<byte[]> cached(ReleaseFile release, String path, String sha256)
      throws IOException {
    if (cache.isEmpty()) {
      return Optional.empty();
    }
    Optional<byte[]> bytes = cache.get().get(sha256);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          IndexFiles.verified(release, where(dists() + "InRelease"), path, bytes.get()));
    } catch (SignatureException e) {
      return Optional.empty();
    }
  }

  private boolean matches(ReleaseFile release, String path, byte[] bytes) {
    try {
      IndexFiles.verified(release, where(dists() + "InRelease"), path, bytes);
      return true;
    } catch (SignatureException e) {
      return false;
    }
  }

  private Index parsedText(String path, String sha256, byte[] text) throws IOException {
    List<PackageRecord> records =
        PackageRecord.parseIndex(where(dists() + path), new String(text, StandardCharsets.UTF_8));
    if (cache.isPresent()) {
      cache.get().putParsed(sha256, records);
    }
    return new Index(where(dists() + path), sha256, records);
  }

  private String where(String path) {
    return fetcher.describe() + "/" + path;
  }
}
