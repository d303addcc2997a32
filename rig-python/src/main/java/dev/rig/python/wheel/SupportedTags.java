package dev.rig.python.wheel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The wheel tags a CPython on glibc Linux installs, most specific first, in the order pip ranks
 * them: the interpreter's own ABI, then {@code abi3} (for this and older minor versions), then
 * {@code none}, each over the manylinux platforms from the target's glibc down (PEP 600, with the
 * legacy {@code manylinux2014}/{@code 2010}/{@code 1} names beside their glibc) and plain {@code
 * linux_ARCH} last; then pure-Python tags. musllinux wheels never fit a glibc target.
 */
public final class SupportedTags {
  private final List<Tag> ordered;
  private final Map<Tag, Integer> rank;

  private SupportedTags(List<Tag> ordered) {
    this.ordered = List.copyOf(ordered);
    Map<Tag, Integer> ranks = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      ranks.putIfAbsent(ordered.get(i), i);
    }
    this.rank = ranks;
  }

  /** The tags of CPython {@code major.minor} on {@code machine} with glibc {@code 2.glibcMinor}. */
  public static SupportedTags forCPython(
      int major, int minor, String machine, int glibcMajor, int glibcMinor) {
    List<String> platforms = platforms(machine, glibcMajor, glibcMinor);
    String cp = "cp" + major + minor;
    Set<Tag> tags = new LinkedHashSet<>();
    for (String platform : platforms) {
      tags.add(new Tag(cp, cp, platform));
    }
    for (String platform : platforms) {
      tags.add(new Tag(cp, "abi3", platform));
    }
    for (String platform : platforms) {
      tags.add(new Tag(cp, "none", platform));
    }
    for (int older = minor - 1; older >= 2; older--) {
      for (String platform : platforms) {
        tags.add(new Tag("cp" + major + older, "abi3", platform));
      }
    }
    List<String> pys = new ArrayList<>();
    pys.add("py" + major + minor);
    pys.add("py" + major);
    for (int older = minor - 1; older >= 0; older--) {
      pys.add("py" + major + older);
    }
    for (String py : pys) {
      for (String platform : platforms) {
        tags.add(new Tag(py, "none", platform));
      }
    }
    tags.add(new Tag(cp, "none", "any"));
    for (String py : pys) {
      tags.add(new Tag(py, "none", "any"));
    }
    return new SupportedTags(new ArrayList<>(tags));
  }

  /**
   * manylinux_2_N_ARCH from the target's glibc down to the oldest the architecture had, then
   * linux_ARCH.
   */
  private static List<String> platforms(String machine, int glibcMajor, int glibcMinor) {
    List<String> platforms = new ArrayList<>();
    String arch = machine.equals("i686") ? "i686" : machine;
    int oldest = machine.equals("x86_64") || machine.equals("i686") ? 5 : 17;
    if (glibcMajor == 2) {
      for (int n = glibcMinor; n >= oldest; n--) {
        platforms.add("manylinux_2_" + n + "_" + arch);
        legacyName(n, arch).ifPresent(platforms::add);
      }
    }
    platforms.add("linux_" + arch);
    return platforms;
  }

  private static Optional<String> legacyName(int glibcMinor, String arch) {
    switch (glibcMinor) {
      case 17:
        return Optional.of("manylinux2014_" + arch);
      case 12:
        return arch.equals("x86_64") || arch.equals("i686")
            ? Optional.of("manylinux2010_" + arch)
            : Optional.empty();
      case 5:
        return arch.equals("x86_64") || arch.equals("i686")
            ? Optional.of("manylinux1_" + arch)
            : Optional.empty();
      default:
        return Optional.empty();
    }
  }

  /** Every supported tag, most specific first. */
  public List<Tag> ordered() {
    return ordered;
  }

  /**
   * How well a wheel fits: the rank of its most specific supported tag (0 is best), or empty when
   * none of its tags fits this target.
   */
  public Optional<Integer> rank(WheelFilename wheel) {
    return wheel.tags().stream().map(rank::get).filter(r -> r != null).min(Integer::compare);
  }

  public boolean isCompatible(WheelFilename wheel) {
    return rank(wheel).isPresent();
  }
}
