package dev.rig.python.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEP 440 version clause such as {@code >=1.2}, {@code ~=2.1}, {@code ==1.4.*} or {@code
 * !=1.5}, with the standard's exact rules: {@code <V} excludes pre-releases of V's release unless V
 * is one itself, {@code >V} excludes V's post-releases and local versions, and ordering clauses
 * ignore a candidate's local label.
 */
public record Specifier(Operator operator, String version) {
  private static final Pattern PRE_SEGMENT = Pattern.compile("([0-9]+)((?:a|b|c|rc)[0-9]+)");
  private static final Pattern SYNTAX =
      Pattern.compile("\\s*(~=|===|==|!=|<=|>=|<|>)\\s*([^\\s,;]+)\\s*");

  /** The comparison a clause makes. */
  public enum Operator {
    COMPATIBLE("~="),
    ARBITRARY("==="),
    EQUAL("=="),
    NOT_EQUAL("!="),
    LESS_EQUAL("<="),
    GREATER_EQUAL(">="),
    LESS("<"),
    GREATER(">");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    static Operator of(String symbol) {
      return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst().orElseThrow();
    }
  }

  public Specifier {
    if (operator != Operator.ARBITRARY) {
      validate(operator, version);
    }
  }

  /** Parses one clause, or fails saying what is wrong with it. */
  public static Specifier parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new InvalidVersionException(
          "'"
              + text.strip()
              + "' is not a version clause; write an operator (==, !=, <=, >=, <, >, ~=, ===)"
              + " and a version, like >=1.2");
    }
    return new Specifier(Operator.of(m.group(1)), m.group(2));
  }

  private static void validate(Operator operator, String version) {
    boolean wildcard = version.endsWith(".*");
    if (wildcard && operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
      throw new InvalidVersionException(
          "'" + operator.symbol + version + "': a .* wildcard is allowed only with == and !=");
    }
    String body = wildcard ? version.substring(0, version.length() - 2) : version;
    Version v = Version.parse(body);
    if (wildcard && (v.hasLocal() || v.isPreRelease() || v.isPostRelease())) {
      throw new InvalidVersionException(
          "'"
              + operator.symbol
              + version
              + "': a .* wildcard must follow a plain release like 1.4");
    }
    if (v.hasLocal() && operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
      throw new InvalidVersionException(
          "'"
              + operator.symbol
              + version
              + "': a local version (+...) is allowed only with == and !=");
    }
    if (operator == Operator.COMPATIBLE && v.release().length < 2) {
      throw new InvalidVersionException(
          "'~=" + version + "': ~= needs at least two release parts, like ~=1.4");
    }
  }

  /** Whether {@code candidate} satisfies this clause, pre-releases not considered. */
  public boolean matches(Version candidate) {
    switch (operator) {
      case ARBITRARY:
        return candidate.toString().equalsIgnoreCase(version.strip())
            || version.strip().toLowerCase(Locale.ROOT).equals(candidate.toString());
      case EQUAL:
        return equal(candidate);
      case NOT_EQUAL:
        return !equal(candidate);
      case LESS_EQUAL:
        return candidate.publicVersion().compareTo(target()) <= 0;
      case GREATER_EQUAL:
        return candidate.publicVersion().compareTo(target()) >= 0;
      case LESS:
        return less(candidate);
      case GREATER:
        return greater(candidate);
      case COMPATIBLE:
        return compatible(candidate);
      default:
        throw new IllegalStateException(operator.toString());
    }
  }

  /**
   * Whether this clause on its own lets pre-releases in: an inclusive clause naming a pre-release
   * ({@code >=2.0b1}, {@code ==2.0rc1}), as pip's packaging library decides.
   */
  public boolean admitsPreReleases() {
    if (operator == Operator.NOT_EQUAL
        || operator == Operator.LESS
        || operator == Operator.GREATER) {
      return false;
    }
    if (operator == Operator.ARBITRARY) {
      return Version.tryParse(version).map(Version::isPreRelease).orElse(false);
    }
    String body = version.endsWith(".*") ? version.substring(0, version.length() - 2) : version;
    return Version.parse(body).isPreRelease();
  }

  /** Whether this pins one version exactly ({@code ==1.2}, {@code ===x}), not a wildcard. */
  public boolean isPin() {
    return operator == Operator.ARBITRARY
        || (operator == Operator.EQUAL && !version.endsWith(".*"));
  }

  private Version target() {
    return Version.parse(version);
  }

  private boolean equal(Version candidate) {
    if (version.endsWith(".*")) {
      return prefixMatches(Version.parse(version.substring(0, version.length() - 2)), candidate);
    }
    Version spec = target();
    Version c = spec.hasLocal() ? candidate : candidate.publicVersion();
    return c.equals(spec) && (!spec.hasLocal() || c.toString().equals(spec.toString()));
  }

  /**
   * {@code ==prefix.*} the way pip's packaging library decides it: both versions split into
   * segments at dots (a pre-release label counting as a segment of its own), the candidate cut to
   * the prefix's length, then the leading numbers of both padded with zeros; so {@code 1.0.*} holds
   * for {@code 1} and {@code 1.0.5} but not for {@code 1a1}.
   */
  private static boolean prefixMatches(Version prefix, Version candidate) {
    List<String> spec = segments(prefix.toString());
    List<String> prospective = segments(candidate.publicVersion().toString());
    prospective = prospective.subList(0, Math.min(spec.size(), prospective.size()));
    return padded(spec, prospective).equals(padded(prospective, spec));
  }

  private static List<String> segments(String version) {
    List<String> out = new ArrayList<>();
    for (String item : version.split("\\.", -1)) {
      Matcher m = PRE_SEGMENT.matcher(item);
      if (m.matches()) {
        out.add(m.group(1));
        out.add(m.group(2));
      } else {
        out.add(item);
      }
    }
    return out;
  }

  /**
   * {@code mine} with zeros after its leading numbers, up to the leading numbers of {@code other}.
   */
  private static List<String> padded(List<String> mine, List<String> other) {
    int myDigits = leadingNumbers(mine);
    int otherDigits = leadingNumbers(other);
    List<String> out = new ArrayList<>(mine.subList(0, myDigits));
    for (int i = myDigits; i < otherDigits; i++) {
      out.add("0");
    }
    out.addAll(mine.subList(myDigits, mine.size()));
    return out;
  }

  private static int leadingNumbers(List<String> parts) {
    int n = 0;
    while (n < parts.size()
        && !parts.get(n).isEmpty()
        && parts.get(n).chars().allMatch(Character::isDigit)) {
      n++;
    }
    return n;
  }

  private boolean less(Version candidate) {
    Version spec = target();
    if (candidate.compareTo(spec) >= 0) {
      return false;
    }
    return spec.isPreRelease()
        || !candidate.isPreRelease()
        || !candidate.baseVersion().equals(spec.baseVersion());
  }

  private boolean greater(Version candidate) {
    Version spec = target();
    if (candidate.compareTo(spec) <= 0) {
      return false;
    }
    boolean sameBase = candidate.baseVersion().equals(spec.baseVersion());
    if (!spec.isPostRelease() && candidate.isPostRelease() && sameBase) {
      return false;
    }
    return !(candidate.hasLocal() && sameBase);
  }

  private boolean compatible(Version candidate) {
    Version spec = target();
    long[] parts = spec.release();
    StringBuilder prefix = new StringBuilder();
    if (spec.epoch() != 0) {
      prefix.append(spec.epoch()).append('!');
    }
    for (int i = 0; i < parts.length - 1; i++) {
      prefix.append(i == 0 ? "" : ".").append(parts[i]);
    }
    return candidate.publicVersion().compareTo(spec) >= 0
        && new Specifier(Operator.EQUAL, prefix + ".*").matches(candidate);
  }

  /** The clause as PEP 440 writes it, e.g. {@code >=1.2}. */
  @Override
  public String toString() {
    return operator.symbol + version;
  }

  /** The version a clause names, when it names a parseable one. */
  public Optional<Version> namedVersion() {
    String body = version.endsWith(".*") ? version.substring(0, version.length() - 2) : version;
    return Version.tryParse(body);
  }
}
