package dev.rig.apt.version;

import java.util.Objects;

/**
 * A Debian package version {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders it.
 *
 * <p>{@link #compareTo} is dpkg's order, which treats {@code 1.0}, {@code 0:1.0} and {@code 1.0-0}
 * as equal; {@link #equals} compares the parsed parts, so use {@link #compareTo} (or {@link
 * Relation}) whenever the question is "same version for apt".
 */
public record DebianVersion(int epoch, String upstream, String revision)
    implements Comparable<DebianVersion> {

  public DebianVersion {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(revision, "revision");
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch " + epoch);
    }
    if (upstream.isEmpty()) {
      throw new IllegalArgumentException("empty upstream version");
    }
  }

  /** Parses a version as written in a control file; surrounding blanks are ignored. */
  public static DebianVersion parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty version");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        throw new IllegalArgumentException("version '" + text + "' contains a blank");
      }
    }
    int epoch = 0;
    int colon = s.indexOf(':');
    if (colon >= 0) {
      String e = s.substring(0, colon);
      if (e.isEmpty() || !e.chars().allMatch(c -> c >= '0' && c <= '9') || e.length() > 9) {
        throw new IllegalArgumentException("version '" + text + "' has a bad epoch '" + e + "'");
      }
      epoch = Integer.parseInt(e);
      s = s.substring(colon + 1);
    }
    String revision = "";
    int dash = s.lastIndexOf('-');
    if (dash >= 0) {
      revision = s.substring(dash + 1);
      s = s.substring(0, dash);
      if (revision.isEmpty()) {
        throw new IllegalArgumentException("version '" + text + "' has an empty revision");
      }
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("version '" + text + "' has an empty upstream part");
    }
    return new DebianVersion(epoch, s, revision);
  }

  @Override
  public int compareTo(DebianVersion other) {
    int c = Integer.compare(epoch, other.epoch);
    if (c != 0) {
      return c;
    }
    c = compareFragment(upstream, other.upstream);
    if (c != 0) {
      return c;
    }
    return compareFragment(revision, other.revision);
  }

  /** True when dpkg would call the two versions equal (e.g. {@code 1.0} and {@code 0:1.0-0}). */
  public boolean sameAs(DebianVersion other) {
    return compareTo(other) == 0;
  }

  /**
   * dpkg's verrevcmp: alternate non-digit runs (compared char by char with {@link #weight}) and
   * digit runs (compared as numbers, leading zeros ignored, so lengths never overflow).
   */
  static int compareFragment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !isDigit(a.charAt(i)))
          || (j < b.length() && !isDigit(b.charAt(j)))) {
        int wa = weight(i < a.length() ? a.charAt(i) : 0);
        int wb = weight(j < b.length() ? b.charAt(j) : 0);
        if (wa != wb) {
          return Integer.signum(wa - wb);
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int firstDiff = 0;
      while (i < a.length() && j < b.length() && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return Integer.signum(firstDiff);
      }
    }
    return 0;
  }

  /** '~' before the end of the string, the end before letters, letters before other symbols. */
  private static int weight(int c) {
    if (c == 0 || isDigit(c)) {
      return 0;
    }
    if (c == '~') {
      return -1;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return c;
    }
    return c + 256;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public String toString() {
    return (epoch != 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
  }
}
