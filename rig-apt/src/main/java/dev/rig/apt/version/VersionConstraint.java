package dev.rig.apt.version;

import java.util.Objects;

/** A relation and a version, such as {@code >= 2.36}: the parenthesised part of a dependency. */
public record VersionConstraint(Relation relation, DebianVersion version) {
  public VersionConstraint {
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(version, "version");
  }

  public boolean accepts(DebianVersion candidate) {
    return relation.holds(candidate, version);
  }

  @Override
  public String toString() {
    return relation.symbol() + " " + version;
  }
}
