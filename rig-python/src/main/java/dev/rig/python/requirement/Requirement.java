package dev.rig.python.requirement;

import dev.rig.python.marker.Marker;
import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.python.marker.MarkerSyntaxException;
import dev.rig.python.version.InvalidVersionException;
import dev.rig.python.version.SpecifierSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A PEP 508 dependency: {@code name[extra,...] specifiers ; marker}, e.g. {@code uvicorn[standard]
 * >=0.30 ; python_version >= "3.9"}. Direct URL forms ({@code name @ https://...}) are refused: a
 * lock pins files from indexes, where their hashes can be checked.
 *
 * @param name the project name as written
 * @param extras extra names, normalized
 * @param specifiers the version clauses (empty for any version)
 * @param marker when the requirement applies, if not always
 */
public record Requirement(
    String name, SortedSet<String> extras, SpecifierSet specifiers, Optional<Marker> marker) {
  public Requirement {
    extras = new TreeSet<>(extras);
  }

  /** The name PEP 503 compares: lower case, separators made {@code -}. */
  public String normalizedName() {
    return ProjectName.normalize(name);
  }

  /** Whether this requirement applies on {@code environment} (no marker: always). */
  public boolean appliesTo(MarkerEnvironment environment) {
    return marker.map(m -> m.evaluate(environment)).orElse(true);
  }

  /** Parses one requirement, or fails with a message that points at the problem. */
  public static Requirement parse(String text) {
    String line = text.strip();
    int pos = 0;
    int start = pos;
    while (pos < line.length() && isNameChar(line.charAt(pos))) {
      pos++;
    }
    String name = line.substring(start, pos);
    if (name.isEmpty() || !ProjectName.isValid(name)) {
      throw MarkerSyntaxException.at(
          line,
          start,
          "'"
              + text.strip()
              + "' does not start with a project name (like numpy or typing-extensions)");
    }
    pos = skip(line, pos);
    SortedSet<String> extras = new TreeSet<>();
    if (pos < line.length() && line.charAt(pos) == '[') {
      int close = line.indexOf(']', pos);
      if (close < 0) {
        throw MarkerSyntaxException.at(line, pos, "the list of extras has no closing ]");
      }
      for (String extra : line.substring(pos + 1, close).split(",", -1)) {
        String e = extra.strip();
        if (e.isEmpty() && line.substring(pos + 1, close).isBlank()) {
          continue;
        }
        if (!ProjectName.isValid(e)) {
          throw MarkerSyntaxException.at(line, pos + 1, "'" + e + "' is not a valid extra name");
        }
        extras.add(ProjectName.normalize(e));
      }
      pos = skip(line, close + 1);
    }
    if (pos < line.length() && line.charAt(pos) == '@') {
      throw MarkerSyntaxException.at(
          line,
          pos,
          "'"
              + line
              + "' names a direct URL; rig locks only wheels from indexes, where their hashes are"
              + " checked: require '"
              + name
              + "' with a version and add the URL's index to the indexes");
    }
    int semicolon = line.indexOf(';', pos);
    String versionPart =
        (semicolon < 0 ? line.substring(pos) : line.substring(pos, semicolon)).strip();
    if (versionPart.startsWith("(")) {
      if (!versionPart.endsWith(")")) {
        throw MarkerSyntaxException.at(line, pos, "the version in parentheses has no closing )");
      }
      versionPart = versionPart.substring(1, versionPart.length() - 1);
    }
    SpecifierSet specifiers;
    try {
      specifiers = SpecifierSet.parse(versionPart);
    } catch (InvalidVersionException e) {
      throw MarkerSyntaxException.at(line, pos, "in '" + line + "': " + e.getMessage());
    }
    Optional<Marker> marker = Optional.empty();
    if (semicolon >= 0) {
      String markerText = line.substring(semicolon + 1);
      try {
        marker = Optional.of(Marker.parse(markerText));
      } catch (MarkerSyntaxException e) {
        throw new MarkerSyntaxException("in the marker of '" + line + "': " + e.getMessage());
      }
    }
    return new Requirement(name, extras, specifiers, marker);
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
  }

  private static int skip(String s, int pos) {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  /** The requirement in PEP 508 form, normalized. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name);
    if (!extras.isEmpty()) {
      s.append('[').append(String.join(",", new ArrayList<>(extras))).append(']');
    }
    if (!specifiers.isEmpty()) {
      s.append(specifiers);
    }
    marker.ifPresent(m -> s.append("; ").append(m));
    return s.toString();
  }

  /** Every requirement in {@code texts}, parsed. */
  public static List<Requirement> parseAll(List<String> texts) {
    return texts.stream().map(Requirement::parse).toList();
  }
}
