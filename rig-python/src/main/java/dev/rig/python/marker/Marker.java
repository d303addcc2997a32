package dev.rig.python.marker;

import dev.rig.python.version.Specifier;
import dev.rig.python.version.Version;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A PEP 508 environment marker, e.g. {@code python_version >= "3.10" and platform_machine ==
 * "x86_64"}: a tree of comparisons joined by {@code and}/{@code or}, evaluated against a {@link
 * MarkerEnvironment}. Version operators compare as PEP 440 versions when both sides are versions,
 * else as strings, the way pip does.
 */
public sealed interface Marker {
  /** The variables PEP 508 defines; any other name is a syntax error. */
  Set<String> VARIABLES =
      Set.of(
          "python_version",
          "python_full_version",
          "os_name",
          "sys_platform",
          "platform_release",
          "platform_system",
          "platform_version",
          "platform_machine",
          "platform_python_implementation",
          "implementation_name",
          "implementation_version",
          "extra");

  boolean evaluate(MarkerEnvironment environment);

  /** Parses a marker on its own (the part of a requirement after {@code ;}). */
  static Marker parse(String text) {
    return MarkerParser.parse(text);
  }

  /** Both sides hold. */
  record And(List<Marker> parts) implements Marker {
    public And {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment) {
      return parts.stream().allMatch(p -> p.evaluate(environment));
    }

    @Override
    public String toString() {
      return String.join(
          " and ",
          parts.stream().map(p -> p instanceof Or ? "(" + p + ")" : p.toString()).toList());
    }
  }

  /** Either side holds. */
  record Or(List<Marker> parts) implements Marker {
    public Or {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment) {
      return parts.stream().anyMatch(p -> p.evaluate(environment));
    }

    @Override
    public String toString() {
      return String.join(" or ", parts.stream().map(Marker::toString).toList());
    }
  }

  /** A side of a comparison: a variable or a quoted string. */
  record Operand(boolean variable, String text) {
    String value(MarkerEnvironment environment) {
      if (!variable) {
        return text;
      }
      return environment.get(text).orElse("");
    }

    @Override
    public String toString() {
      return variable ? text : '"' + text + '"';
    }
  }

  /** {@code left op right}. */
  record Compare(Operand left, String operator, Operand right) implements Marker {
    @Override
    public boolean evaluate(MarkerEnvironment environment) {
      String l = left.value(environment);
      String r = right.value(environment);
      if (isExtra(left) || isExtra(right)) {
        // PEP 685: extra names compare normalized.
        l = normalizeExtra(l);
        r = normalizeExtra(r);
      }
      switch (operator) {
        case "in":
          return r.contains(l);
        case "not in":
          return !r.contains(l);
        default:
          break;
      }
      Optional<Boolean> asVersions = compareVersions(l, r);
      if (asVersions.isPresent()) {
        return asVersions.get();
      }
      int c = l.compareTo(r);
      switch (operator) {
        case "==":
        case "===":
          return c == 0;
        case "!=":
          return c != 0;
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        case ">=":
          return c >= 0;
        default:
          // ~= on strings that are not versions: pip cannot compare them either.
          throw new IllegalArgumentException(
              "the marker " + this + " compares text that is not a version with " + operator);
      }
    }

    private Optional<Boolean> compareVersions(String l, String r) {
      Optional<Version> lv = Version.tryParse(l);
      if (lv.isEmpty()) {
        return Optional.empty();
      }
      try {
        Specifier spec = Specifier.parse(operator + r);
        return Optional.of(spec.matches(lv.get()));
      } catch (IllegalArgumentException notASpecifier) {
        return Optional.empty();
      }
    }

    private static boolean isExtra(Operand o) {
      return o.variable() && o.text().equals("extra");
    }

    private static String normalizeExtra(String s) {
      return s.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    @Override
    public String toString() {
      return left + " " + operator + " " + right;
    }
  }
}
