package dev.rig.apt.control;

import java.util.List;
import java.util.stream.Collectors;

/** One comma-separated entry of a dependency field: satisfied by any of its alternatives. */
public record Dependency(List<PackageRef> alternatives) {
  public Dependency {
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("a dependency needs at least one alternative");
    }
  }

  @Override
  public String toString() {
    return alternatives.stream().map(PackageRef::toString).collect(Collectors.joining(" | "));
  }
}
