package dev.rig.python.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}, parsed leniently the way
 * the standard allows (case, separators, {@code alpha}/{@code pre}/{@code c}/{@code rev}, a leading
 * {@code v}) and ordered as the standard says: dev releases before pre-releases before the final
 * release before post-releases, trailing zeros ignored, a local label sorting after none.
 */
public final class Version implements Comparable<Version> {
  private static final Pattern SYNTAX =
      Pattern.compile(
          "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?:[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?:-(?<postn1>[0-9]+)|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?)?"
              + "(?:[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
          Pattern.CASE_INSENSITIVE);

  private final long epoch;
  private final long[] release;
  private final Optional<String> preLabel;
  private final long preNumber;
  private final Optional<Long> post;
  private final Optional<Long> dev;
  private final List<String> local;

  private Version(
      long epoch,
      long[] release,
      Optional<String> preLabel,
      long preNumber,
      Optional<Long> post,
      Optional<Long> dev,
      List<String> local) {
    this.epoch = epoch;
    this.release = release;
    this.preLabel = preLabel;
    this.preNumber = preNumber;
    this.post = post;
    this.dev = dev;
    this.local = local;
  }

  /** Parses {@code text}, or fails saying what a version looks like. */
  public static Version parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new InvalidVersionException(
                    "'"
                        + text
                        + "' is not a PEP 440 version (like 1.2, 2!1.0, 1.0rc1, 1.0.post2, 1.0.dev3"
                        + " or 1.0+local)"));
  }

  /** The version {@code text} spells, or empty when it is not PEP 440 (legacy versions). */
  public static Optional<Version> tryParse(String text) {
    Matcher m = SYNTAX.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
      long[] release =
          Arrays.stream(m.group("release").split("\\.")).mapToLong(Long::parseLong).toArray();
      Optional<String> preLabel = Optional.ofNullable(m.group("prel")).map(Version::preLabel);
      long preNumber = m.group("pren") == null ? 0 : Long.parseLong(m.group("pren"));
      if (preLabel.isEmpty()) {
        preNumber = 0;
      }
      Optional<Long> post = Optional.empty();
      if (m.group("postn1") != null) {
        post = Optional.of(Long.parseLong(m.group("postn1")));
      } else if (m.group("postl") != null) {
        post = Optional.of(m.group("postn2") == null ? 0L : Long.parseLong(m.group("postn2")));
      }
      Optional<Long> dev =
          m.group("devl") == null
              ? Optional.empty()
              : Optional.of(m.group("devn") == null ? 0L : Long.parseLong(m.group("devn")));
      List<String> local =
          m.group("local") == null
              ? List.of()
              : Arrays.stream(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"))
                  .map(part -> isNumber(part) ? new BigInteger(part).toString() : part)
                  .toList();
      return Optional.of(new Version(epoch, release, preLabel, preNumber, post, dev, local));
    } catch (NumberFormatException tooLong) {
      return Optional.empty();
    }
  }

  private static String preLabel(String written) {
    switch (written.toLowerCase(Locale.ROOT)) {
      case "alpha":
      case "a":
        return "a";
      case "beta":
      case "b":
        return "b";
      default:
        return "rc";
    }
  }

  public long epoch() {
    return epoch;
  }

  /** The release segments as written ({@code 1.0} has two). */
  public long[] release() {
    return release.clone();
  }

  public boolean isPreRelease() {
    return preLabel.isPresent() || dev.isPresent();
  }

  public boolean isPostRelease() {
    return post.isPresent();
  }

  public boolean isDevRelease() {
    return dev.isPresent();
  }

  public boolean hasLocal() {
    return !local.isEmpty();
  }

  /** This version without its local label. */
  public Version publicVersion() {
    return local.isEmpty()
        ? this
        : new Version(epoch, release, preLabel, preNumber, post, dev, List.of());
  }

  /** Epoch and release only: {@code 1.2} for {@code 1.2rc1.post3}. */
  public Version baseVersion() {
    return new Version(
        epoch, release, Optional.empty(), 0, Optional.empty(), Optional.empty(), List.of());
  }

  /** The release segment {@code i}, zero past the written ones. */
  public long releasePart(int i) {
    return i < release.length ? release[i] : 0;
  }

  @Override
  public int compareTo(Version o) {
    int c = Long.compare(epoch, o.epoch);
    if (c != 0) {
      return c;
    }
    int n = Math.max(release.length, o.release.length);
    for (int i = 0; i < n; i++) {
      c = Long.compare(releasePart(i), o.releasePart(i));
      if (c != 0) {
        return c;
      }
    }
    c = Integer.compare(preRank(), o.preRank());
    if (c != 0) {
      return c;
    }
    if (preRank() == 1) {
      c = preLabel.get().compareTo(o.preLabel.get()); // "a" < "b" < "rc"
      if (c != 0) {
        return c;
      }
      c = Long.compare(preNumber, o.preNumber);
      if (c != 0) {
        return c;
      }
    }
    c = Long.compare(post.orElse(-1L), o.post.orElse(-1L));
    if (c != 0) {
      return c;
    }
    c = Long.compare(dev.orElse(Long.MAX_VALUE), o.dev.orElse(Long.MAX_VALUE));
    if (c != 0) {
      return c;
    }
    return compareLocal(local, o.local);
  }

  /**
   * 0 for a dev release of a final version ({@code 1.0.dev1}, before its pre-releases), 1 for a
   * pre-release, 2 for everything else.
   */
  private int preRank() {
    if (preLabel.isPresent()) {
      return 1;
    }
    return dev.isPresent() && post.isEmpty() ? 0 : 2;
  }

  /** Numeric parts above alphanumeric ones, then the longer label wins (PEP 440). */
  private static int compareLocal(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = isNumber(x);
      boolean yn = isNumber(y);
      int c;
      if (xn && yn) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xn != yn) {
        c = xn ? 1 : -1;
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    int n = release.length;
    while (n > 1 && release[n - 1] == 0) {
      n--;
    }
    return Objects.hash(
        epoch, Arrays.hashCode(Arrays.copyOf(release, n)), preLabel, preNumber, post, dev, local);
  }

  /** The normalized form: {@code 1.0rc1.post2.dev3+ubuntu.1}, epoch only when not zero. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (epoch != 0) {
      s.append(epoch).append('!');
    }
    List<String> parts = new ArrayList<>();
    for (long r : release) {
      parts.add(Long.toString(r));
    }
    s.append(String.join(".", parts));
    preLabel.ifPresent(l -> s.append(l).append(preNumber));
    post.ifPresent(p -> s.append(".post").append(p));
    dev.ifPresent(d -> s.append(".dev").append(d));
    if (!local.isEmpty()) {
      s.append('+').append(String.join(".", local));
    }
    return s.toString();
  }
}
