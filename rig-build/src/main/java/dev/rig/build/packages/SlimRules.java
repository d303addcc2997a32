package dev.rig.build.packages;

import dev.rig.spec.SlimSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The slim options as dpkg path filters: dpkg itself leaves the files out, at build time and for
 * packages installed later in a running container, and its database stays consistent.
 */
final class SlimRules {
  private SlimRules() {}

  /**
   * Whether a path survives the rules, decided as dpkg decides: the last rule whose glob matches
   * wins, and a glob's {@code *} matches '/' too (fnmatch without FNM_PATHNAME). rig's own unpack
   * of the packages, which runs before dpkg's, applies it: dpkg never deletes a file it does not
   * own, so one written before it ran would stay in the image.
   */
  static Predicate<String> keeps(SlimSpec slim) {
    List<Pattern> patterns = new ArrayList<>();
    List<Boolean> includes = new ArrayList<>();
    for (String line : dpkgExcludes(slim).lines().toList()) {
      int eq = line.indexOf('=');
      includes.add(line.startsWith("path-include"));
      patterns.add(glob(line.substring(eq + 1)));
    }
    return path -> {
      boolean keep = true;
      for (int i = 0; i < patterns.size(); i++) {
        if (patterns.get(i).matcher(path).matches()) {
          keep = includes.get(i);
        }
      }
      return keep;
    };
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  static String dpkgExcludes(SlimSpec slim) {
    StringBuilder rules = new StringBuilder();
    if (slim.docs()) {
      rules.append("path-exclude=/usr/share/doc/*\n");
      // Licences stay: images are redistributed.
      rules.append("path-include=/usr/share/doc/*/copyright\n");
    }
    if (slim.manPages()) {
      rules.append("path-exclude=/usr/share/man/*\n");
      rules.append("path-exclude=/usr/share/info/*\n");
    }
    if (slim.locales()) {
      rules.append("path-exclude=/usr/share/locale/*\n");
      rules.append("path-include=/usr/share/locale/locale.alias\n");
    }
    return rules.toString();
  }
}
