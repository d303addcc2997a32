package dev.rig.build.lock;

import java.util.List;

/**
 * A repository as the spec declares it. Order in a list is meaningful (earlier sources win ties),
 * so lists of these are never re-sorted.
 */
public record LockedRepository(String uri, String suite, List<String> components) {
  public LockedRepository {
    components = List.copyOf(components);
  }

  @Override
  public String toString() {
    return uri + " " + suite + " " + String.join(" ", components);
  }
}
