package dev.rig.apt.repo;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One repository suite to read, as a line of sources.list says it: {@code deb [options] URI SUITE
 * COMPONENT...}. A deb822 stanza with several URIs or suites becomes several entries.
 *
 * @param signedBy a keyring path or an inline armored key, as apt's Signed-By option holds
 */
public record SourceEntry(
    String type,
    URI uri,
    String suite,
    List<String> components,
    Optional<String> signedBy,
    Map<String, String> options) {
  public SourceEntry {
    components = List.copyOf(components);
    options = Map.copyOf(options);
  }
}
