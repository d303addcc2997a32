package dev.rig.build.packages;

import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.spec.AptRepositorySpec;
import dev.rig.spec.PackagesSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an image's distributions and repositories into readable sources. A distribution shorthand
 * ({@code debian:trixie}) takes its mirror from RIG_DEBIAN_MIRROR / RIG_UBUNTU_MIRROR or from the
 * build machine's apt sources, and its key from the machine's archive keyring: rig itself names no
 * archive host.
 */
public final class RepoSources {
  private final Map<String, String> env;
  private final Path etcApt;

  public RepoSources(Map<String, String> env, Path etcApt) {
    this.env = Map.copyOf(env);
    this.etcApt = etcApt;
  }

  /** The machine's environment and /etc/apt. */
  public static RepoSources ofSystem() {
    return new RepoSources(System.getenv(), Path.of("/etc/apt"));
  }

  public List<RepoSource> sources(String image, PackagesSpec spec) throws IOException {
    List<RepoSource> sources = new ArrayList<>();
    for (String shorthand : spec.distributions()) {
      sources.add(distribution(image, shorthand));
    }
    int n = 0;
    for (AptRepositorySpec repo : spec.repositories()) {
      n++;
      byte[] key =
          repo.signedByText()
              ? repo.signedBy().getBytes(StandardCharsets.UTF_8)
              : Files.readAllBytes(Path.of(repo.signedBy()));
      String keySource = repo.signedByText() ? "signedBy of repository " + n : repo.signedBy();
      RepoSource.Once<Keyring> keyring = new RepoSource.Once<>(() -> Keyring.parse(keySource, key));
      URI uri = URI.create(repo.uri().endsWith("/") ? repo.uri() : repo.uri() + "/");
      for (String suite : repo.suites()) {
        sources.add(
            new RepoSource(
                "repo" + n,
                uri,
                suite,
                repo.components(),
                keyring,
                key,
                new RepoSource.Once<>(() -> Fetchers.forUri(uri)),
                uri.toString()));
      }
    }
    return sources;
  }

  private RepoSource distribution(String image, String shorthand) throws IOException {
    String family = shorthand.substring(0, shorthand.indexOf(':'));
    String suite = shorthand.substring(shorthand.indexOf(':') + 1);
    boolean debian = family.equals("debian");
    String variable = debian ? "RIG_DEBIAN_MIRROR" : "RIG_UBUNTU_MIRROR";
    URI mirror = mirror(family, variable, image, shorthand);
    if (!mirror.toString().endsWith("/")) {
      mirror = URI.create(mirror + "/");
    }
    String keyVariable = debian ? "RIG_DEBIAN_KEYRING" : "RIG_UBUNTU_KEYRING";
    Path keyring =
        Path.of(
            env.getOrDefault(
                keyVariable,
                debian
                    ? "/usr/share/keyrings/debian-archive-keyring.gpg"
                    : "/usr/share/keyrings/ubuntu-archive-keyring.gpg"));
    if (!Files.isRegularFile(keyring)) {
      throw new PackageException(
          "image '"
              + image
              + "': "
              + shorthand
              + " is checked against "
              + keyring
              + ", which is missing (install the "
              + family
              + "-archive-keyring package, or set "
              + keyVariable
              + " to the keyring file)");
    }
    List<String> components =
        debian
            ? List.of("main", "contrib", "non-free", "non-free-firmware")
            : List.of("main", "restricted", "universe", "multiverse");
    byte[] bytes = Files.readAllBytes(keyring);
    URI finalMirror = mirror;
    return new RepoSource(
        family,
        mirror,
        suite,
        components,
        new RepoSource.Once<>(() -> Keyring.parse(keyring.toString(), bytes)),
        bytes,
        new RepoSource.Once<>(() -> Fetchers.forUri(finalMirror)),
        family + ":");
  }

  private URI mirror(String family, String variable, String image, String shorthand)
      throws IOException {
    String fromEnv = env.get(variable);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return URI.create(fromEnv.strip());
    }
    Optional<URI> configured = configuredMirror(family);
    return configured.orElseThrow(
        () ->
            new PackageException(
                "image '"
                    + image
                    + "': "
                    + shorthand
                    + " needs a "
                    + family
                    + " mirror and none is configured: set "
                    + variable
                    + " to the mirror's URL (the directory that holds dists/), or add a "
                    + family
                    + " source to "
                    + etcApt
                    + "/sources.list(.d)"));
  }

  /**
   * A {@code deb} entry of the machine's apt sources that serves the family's main archive: signed
   * by its archive keyring or at a path ending in /debian (/ubuntu), and not the security archive.
   */
  private Optional<URI> configuredMirror(String family) throws IOException {
    if (!Files.isDirectory(etcApt)) {
      return Optional.empty();
    }
    for (SourceEntry entry : AptSources.readSystem(etcApt)) {
      String uri = entry.uri().toString();
      String path = entry.uri().getPath() == null ? "" : entry.uri().getPath();
      boolean keyed =
          entry.signedBy().map(k -> k.contains(family + "-archive-keyring")).orElse(false);
      boolean named = path.replaceAll("/+$", "").endsWith("/" + family);
      if (entry.type().equals("deb")
          && (keyed || named)
          && !uri.contains("security")
          && !entry.suite().contains("security")) {
        return Optional.of(entry.uri());
      }
    }
    return Optional.empty();
  }
}
