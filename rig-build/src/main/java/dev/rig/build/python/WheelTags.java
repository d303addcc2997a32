package dev.rig.build.python;

import java.util.Optional;

/**
 * Whether a wheel file fits the image, by the tags in its name, and how well: a first cut that
 * knows CPython wheels for one version, {@code abi3}, {@code none-any}, and manylinux/linux tags of
 * the image's architecture up to its glibc.
 *
 * @param minor the interpreter's {@code MAJOR.MINOR}
 * @param architecture the wheel platform's machine name, e.g. {@code x86_64}
 * @param glibc the image's glibc as {@code MAJOR.MINOR}
 */
record WheelTags(String minor, String architecture, String glibc) {

  /** Higher is better; empty when the wheel does not run on the image. */
  Optional<Integer> score(String fileName) {
    if (!fileName.endsWith(".whl")) {
      return Optional.empty();
    }
    String[] parts = fileName.substring(0, fileName.length() - 4).split("-");
    if (parts.length != 5 && parts.length != 6) {
      return Optional.empty();
    }
    String pythons = parts[parts.length - 3];
    String abis = parts[parts.length - 2];
    String platforms = parts[parts.length - 1];
    String cp = "cp" + minor.replace(".", "");
    int best = -1;
    for (String python : pythons.split("\\.")) {
      for (String abi : abis.split("\\.")) {
        for (String platform : platforms.split("\\.")) {
          int p = platform(platform);
          if (p < 0) {
            continue;
          }
          int score = -1;
          if (python.equals(cp) && abi.equals(cp)) {
            score = 300;
          } else if (python.startsWith("cp3") && abi.equals("abi3") && atMost(python, cp)) {
            score = 200;
          } else if (abi.equals("none")
              && (python.equals("py3")
                  || python.equals(cp)
                  || python.equals("py" + minor.replace(".", "")))) {
            score = 100;
          }
          if (score >= 0) {
            best = Math.max(best, score + p);
          }
        }
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(best);
  }

  /** 0 for any, more for a platform-specific tag; -1 when it does not fit. */
  private int platform(String tag) {
    if (tag.equals("any")) {
      return 0;
    }
    if (tag.equals("linux_" + architecture)) {
      return 1;
    }
    String prefix = "manylinux_";
    if (tag.equals("manylinux1_" + architecture)) {
      return fitsGlibc(2, 5) ? 50 : -1;
    }
    if (tag.equals("manylinux2010_" + architecture)) {
      return fitsGlibc(2, 12) ? 50 : -1;
    }
    if (tag.equals("manylinux2014_" + architecture)) {
      return fitsGlibc(2, 17) ? 50 : -1;
    }
    if (tag.startsWith(prefix) && tag.endsWith("_" + architecture)) {
      String[] version =
          tag.substring(prefix.length(), tag.length() - architecture.length() - 1).split("_");
      if (version.length == 2 && version[0].matches("[0-9]+") && version[1].matches("[0-9]+")) {
        int major = Integer.parseInt(version[0]);
        int minorGlibc = Integer.parseInt(version[1]);
        return fitsGlibc(major, minorGlibc) ? 10 + minorGlibc : -1;
      }
    }
    return -1;
  }

  private boolean fitsGlibc(int major, int minorGlibc) {
    String[] have = glibc.split("\\.");
    int haveMajor = Integer.parseInt(have[0]);
    int haveMinor = Integer.parseInt(have[1]);
    return major < haveMajor || (major == haveMajor && minorGlibc <= haveMinor);
  }

  /** cp38 ≤ cp313: an abi3 wheel built for an older CPython runs on a newer one. */
  private static boolean atMost(String python, String cp) {
    try {
      return Integer.parseInt(python.substring(3)) <= Integer.parseInt(cp.substring(3));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
