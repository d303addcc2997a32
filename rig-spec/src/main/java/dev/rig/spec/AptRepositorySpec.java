package dev.rig.spec;

import java.util.List;

/**
 * An apt repository as the spec writes it.
 *
 * @param uri the base URI
 * @param suites suites or codenames
 * @param components components of each suite
 * @param signedBy an absolute keyring path, or armored key text (starting with {@code -----BEGIN})
 */
public record AptRepositorySpec(
    String uri, List<String> suites, List<String> components, String signedBy) {
  public AptRepositorySpec {
    suites = List.copyOf(suites);
    components = List.copyOf(components);
  }

  public boolean signedByText() {
    return signedBy.startsWith("-----BEGIN");
  }
}
