package dev.rig.apt.control;

import dev.rig.apt.version.DebianVersion;
import dev.rig.apt.version.Relation;
import dev.rig.apt.version.VersionConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses binary dependency fields (Depends, Pre-Depends, Recommends, Conflicts, Breaks, Provides,
 * ...) into an AND of OR-groups. Architecture lists {@code [amd64]} and build profiles {@code
 * <!nocheck>} belong to source packages only and are rejected rather than silently ignored.
 */
public final class DependencyParser {
  private DependencyParser() {}

  private static final Pattern ALTERNATIVE =
      Pattern.compile(
          "([a-z0-9][a-z0-9+.\\-]*)(?::([a-z0-9\\-]+))?\\s*(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^\\s)]+)\\s*\\))?",
          Pattern.CASE_INSENSITIVE);

  /** Parses a whole field value; an empty or blank value means no dependencies. */
  public static List<Dependency> parse(String field) {
    List<Dependency> out = new ArrayList<>();
    if (field == null || field.isBlank()) {
      return List.of();
    }
    for (String group : field.split(",")) {
      if (group.isBlank()) {
        // dpkg tolerates a trailing comma; apt-ftparchive output never has an inner empty entry.
        continue;
      }
      List<PackageRef> alternatives = new ArrayList<>();
      for (String alt : group.split("\\|")) {
        alternatives.add(parseAlternative(alt, field));
      }
      out.add(new Dependency(alternatives));
    }
    return List.copyOf(out);
  }

  /** Parses one {@code name[:arch] [(op version)]}. */
  public static PackageRef parseAlternative(String text, String context) {
    String s = text.strip();
    Matcher m = ALTERNATIVE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "cannot parse dependency '" + s + "' in '" + context.strip() + "'");
    }
    Optional<VersionConstraint> constraint = Optional.empty();
    if (m.group(3) != null) {
      constraint =
          Optional.of(
              new VersionConstraint(Relation.parse(m.group(3)), DebianVersion.parse(m.group(4))));
    }
    return new PackageRef(m.group(1), Optional.ofNullable(m.group(2)), constraint);
  }
}
