package dev.rig.apt.dpkg;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The apt configuration an image ships so that {@code apt-get install} inside it uses the same
 * repositories, each trusted only through its own keyring ({@code Signed-By}), never a global one.
 * Written as one deb822 file, {@code /etc/apt/sources.list.d/rig.sources}.
 */
public record ImageAptSources(List<Repository> repositories) {
  public static final String SOURCES_FILE = "/etc/apt/sources.list.d/rig.sources";
  public static final String KEYRING_DIR = "/etc/apt/keyrings";

  /**
   * One repository as the image should see it.
   *
   * @param name a short name for the keyring file ({@code rig-NAME.gpg}); letters, digits, '-'
   * @param keyring the OpenPGP keyring, binary or ASCII-armored (then stored as {@code .asc}, the
   *     extension apt needs to read armor)
   */
  public record Repository(
      String name, URI uri, List<String> suites, List<String> components, byte[] keyring) {
    public Repository {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("repository name '" + name + "' is not a file name");
      }
      suites = List.copyOf(suites);
      components = List.copyOf(components);
      keyring = keyring.clone();
    }

    public String keyringPath() {
      boolean armored =
          new String(keyring, 0, Math.min(keyring.length, 64), StandardCharsets.US_ASCII)
              .contains("-----BEGIN PGP");
      return KEYRING_DIR + "/rig-" + name + (armored ? ".asc" : ".gpg");
    }
  }

  public ImageAptSources {
    repositories = repositories.stream().sorted(Comparator.comparing(Repository::name)).toList();
  }

  /** The deb822 text of the sources file. */
  public String sourcesText() {
    StringBuilder out = new StringBuilder();
    for (Repository r : repositories) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("Types: deb\n");
      out.append("URIs: ").append(r.uri()).append('\n');
      out.append("Suites: ").append(String.join(" ", r.suites())).append('\n');
      // apt refuses components with a flat suite ("/"): "Malformed entry ... (absolute Suite
      // Component)".
      if (r.suites().stream().noneMatch(suite -> suite.endsWith("/"))) {
        out.append("Components: ").append(String.join(" ", r.components())).append('\n');
      }
      out.append("Signed-By: ").append(r.keyringPath()).append('\n');
    }
    return out.toString();
  }

  /** The sources file and one keyring per repository, with their directories. */
  public List<LayerEntry> entries() {
    List<LayerEntry> out = new ArrayList<>();
    out.add(LayerEntry.directory("/etc", 0755, 0, 0));
    out.add(LayerEntry.directory("/etc/apt", 0755, 0, 0));
    out.add(LayerEntry.directory(KEYRING_DIR, 0755, 0, 0));
    out.add(LayerEntry.directory("/etc/apt/sources.list.d", 0755, 0, 0));
    out.add(
        LayerEntry.file(
            SOURCES_FILE,
            Content.ofBytes(sourcesText().getBytes(StandardCharsets.UTF_8)),
            0644,
            0,
            0));
    for (Repository r : repositories) {
      out.add(LayerEntry.file(r.keyringPath(), Content.ofBytes(r.keyring()), 0644, 0, 0));
    }
    return List.copyOf(out);
  }
}
