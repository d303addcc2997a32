package dev.rig.python.resolve;

import dev.rig.python.index.IndexClient;
import dev.rig.python.index.IndexFile;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.index.ProjectPage;
import dev.rig.python.version.SpecifierSet;
import dev.rig.python.version.Version;
import dev.rig.python.wheel.SupportedTags;
import dev.rig.python.wheel.WheelFilename;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wheels of one project that can run on the target, read from every index: one file per version
 * (the best tag, as pip ranks it, then the latest build), and, for the error when none fits, what
 * the project has instead.
 */
final class Candidates {
  /** A wheel file that fits the target, from one index. */
  record Wheel(
      Version version, PackageIndex index, IndexFile file, WheelFilename name, int tagRank) {}

  private final IndexClient client;
  private final PythonTarget target;
  private final SupportedTags tags;
  private final Version python;
  private final Map<String, List<Wheel>> fitting = new LinkedHashMap<>();
  private final Map<String, String> whyNone = new LinkedHashMap<>();

  Candidates(IndexClient client, PythonTarget target) {
    this.client = client;
    this.target = target;
    this.tags = target.supportedTags();
    this.python = Version.parse(target.pythonFullVersion());
  }

  /** Every fitting wheel of {@code name}, yanked ones included, newest version first. */
  List<Wheel> all(String name, List<PackageIndex> indexes) throws IOException {
    List<Wheel> known = fitting.get(name);
    if (known != null) {
      return known;
    }
    List<Wheel> wheels = new ArrayList<>();
    TreeSet<Version> sdistOnly = new TreeSet<>();
    Map<Version, TreeSet<String>> otherPlatforms = new TreeMap<>();
    boolean listed = false;
    for (PackageIndex index : indexes) {
      Optional<ProjectPage> page = client.project(index, name);
      if (page.isEmpty()) {
        continue;
      }
      listed = true;
      for (IndexFile file : page.get().files()) {
        if (!WheelFilename.isWheel(file.filename())) {
          sdistVersion(name, file.filename()).ifPresent(sdistOnly::add);
          continue;
        }
        WheelFilename wheel;
        try {
          wheel = WheelFilename.parse(file.filename());
        } catch (IllegalArgumentException notPep427) {
          continue;
        }
        if (!wheel.name().equals(name)) {
          continue;
        }
        if (file.requiresPython().isPresent() && !pythonFits(file.requiresPython().get())) {
          otherPlatforms
              .computeIfAbsent(wheel.version(), v -> new TreeSet<>())
              .add("Requires-Python " + file.requiresPython().get());
          continue;
        }
        Optional<Integer> rank = tags.rank(wheel);
        if (rank.isEmpty()) {
          otherPlatforms
              .computeIfAbsent(wheel.version(), v -> new TreeSet<>())
              .add(wheel.tags().get(0).toString());
          continue;
        }
        wheels.add(new Wheel(wheel.version(), index, file, wheel, rank.get()));
      }
    }
    // Best first: newest version; within one version the best tag, then the latest build.
    wheels.sort(
        Comparator.comparing(Wheel::version, Comparator.reverseOrder())
            .thenComparingInt(Wheel::tagRank)
            .thenComparing(w -> w.name().buildNumber(), Comparator.reverseOrder()));
    List<Wheel> best = wheels;
    fitting.put(name, List.copyOf(best));
    if (best.isEmpty()) {
      whyNone.put(name, describeNone(name, listed, sdistOnly, otherPlatforms));
    }
    return fitting.get(name);
  }

  /**
   * The wheels that {@code specifiers} allow, best first, with pip's rules: pre-releases only when
   * a clause names one (or nothing else exists for an empty set); yanked files only when the
   * requirement pins with == and only yanked files match.
   */
  List<Wheel> allowed(String name, List<PackageIndex> indexes, SpecifierSet specifiers)
      throws IOException {
    List<Wheel> all = all(name, indexes);
    List<Version> versions = all.stream().map(Wheel::version).distinct().toList();
    List<Version> kept = specifiers.filter(versions);
    List<Wheel> applicable = all.stream().filter(w -> kept.contains(w.version())).toList();
    boolean allYanked = applicable.stream().allMatch(w -> w.file().isYanked());
    boolean pinned = specifiers.specifiers().stream().anyMatch(s -> s.isPin());
    List<Wheel> result = new ArrayList<>();
    for (Wheel w : applicable) {
      if (w.file().isYanked() && !(allYanked && pinned)) {
        continue;
      }
      if (!result.isEmpty() && result.get(result.size() - 1).version().equals(w.version())) {
        continue;
      }
      result.add(w);
    }
    return result;
  }

  /** Why no wheel of {@code name} fits, when that is so. */
  Optional<String> whyNone(String name) {
    return Optional.ofNullable(whyNone.get(name));
  }

  String pythonVersion() {
    return target.pythonFullVersion();
  }

  boolean pythonFits(String requiresPython) {
    try {
      return SpecifierSet.parse(requiresPython).contains(python, true);
    } catch (IllegalArgumentException unreadable) {
      // pip ignores a Requires-Python it cannot parse, and so does rig.
      return true;
    }
  }

  private String describeNone(
      String name,
      boolean listed,
      TreeSet<Version> sdistOnly,
      Map<Version, TreeSet<String>> otherPlatforms) {
    String on = describe(target);
    if (!listed) {
      return "no index knows the project '" + name + "'; check its name and the index URLs";
    }
    StringBuilder s = new StringBuilder("no wheel of '" + name + "' fits " + on);
    if (!otherPlatforms.isEmpty()) {
      s.append("; versions with wheels only for other platforms or Pythons: ");
      List<String> parts = new ArrayList<>();
      otherPlatforms.forEach((v, t) -> parts.add(v + " (" + String.join(", ", t) + ")"));
      s.append(String.join(", ", parts));
    }
    sdistOnly.removeAll(otherPlatforms.keySet());
    if (!sdistOnly.isEmpty()) {
      s.append("; versions with only a source distribution, which rig does not build: ");
      s.append(String.join(", ", sdistOnly.stream().map(Version::toString).toList()));
    }
    if (otherPlatforms.isEmpty() && sdistOnly.isEmpty()) {
      s.append("; the index lists no wheels for it");
    }
    s.append(
        "; build a wheel for this platform and serve it from an index, or require a version that has one");
    return s.toString();
  }

  static String describe(PythonTarget target) {
    return "CPython "
        + target.pythonFullVersion()
        + " on "
        + target.sysPlatform()
        + " "
        + target.machine()
        + " (glibc "
        + target.glibcVersion()
        + ")";
  }

  private static Optional<Version> sdistVersion(String name, String filename) {
    String base = filename.replaceFirst("(?i)\\.(tar\\.gz|tar\\.bz2|tar\\.xz|zip|tgz)$", "");
    if (base.equals(filename)) {
      return Optional.empty();
    }
    int dash = base.lastIndexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String project = base.substring(0, dash).toLowerCase().replaceAll("[-_.]+", "-");
    if (!project.equals(name)) {
      return Optional.empty();
    }
    return Version.tryParse(base.substring(dash + 1));
  }
}
