package dev.rig.apt.control;

import dev.rig.apt.version.VersionConstraint;
import java.util.Objects;
import java.util.Optional;

/**
 * One alternative of a dependency: {@code name[:arch] [(op version)]}.
 *
 * @param archQualifier {@code any}, {@code native} or an architecture name after ':', if present
 */
public record PackageRef(
    String name, Optional<String> archQualifier, Optional<VersionConstraint> constraint) {
  public PackageRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(archQualifier, "archQualifier");
    Objects.requireNonNull(constraint, "constraint");
  }

  public static PackageRef of(String name) {
    return new PackageRef(name, Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return name
        + archQualifier.map(a -> ":" + a).orElse("")
        + constraint.map(c -> " (" + c + ")").orElse("");
  }
}
