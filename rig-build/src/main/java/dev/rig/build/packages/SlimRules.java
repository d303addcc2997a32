package dev.rig.build.packages;

import dev.rig.spec.SlimSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The slim options as dpkg path filters: dpkg itself leaves the files out, at build time and for
 * packages installed later in a running container, and its database stays consistent. rig's own
 * unpack, which runs before dpkg's, applies the same rules through {@link #keeps}.
 */
final class SlimRules {
  /** One path-exclude or path-include line. */
  private record Rule(boolean include, String glob) {
    String line() {
      return (include ? "path-include=" : "path-exclude=") + glob;
    }

    /** dpkg matches with fnmatch and no FNM_PATHNAME: '*' matches '/' too. */
    Pattern pattern() {
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
  }

  private SlimRules() {}

  private static List<Rule> rules(SlimSpec slim) {
    List<Rule> rules = new ArrayList<>();
    if (slim.docs()) {
      rules.add(new Rule(false, "/usr/share/doc/*"));
      // Licences stay: images are redistributed.
      rules.add(new Rule(true, "/usr/share/doc/*/copyright"));
    }
    if (slim.manPages()) {
      rules.add(new Rule(false, "/usr/share/man/*"));
      rules.add(new Rule(false, "/usr/share/info/*"));
    }
    if (slim.locales()) {
      rules.add(new Rule(false, "/usr/share/locale/*"));
      rules.add(new Rule(true, "/usr/share/locale/locale.alias"));
    }
    return rules;
  }

  /**
   * Whether a path survives the rules, decided as dpkg decides: the last rule that matches wins.
   * dpkg never deletes a file it does not own, so a file rig's unpack wrote before dpkg ran would
   * stay in the image if this filter did not leave it out.
   */
  static Predicate<String> keeps(SlimSpec slim) {
    List<Rule> rules = rules(slim);
    List<Pattern> patterns = rules.stream().map(Rule::pattern).toList();
    return path -> {
      boolean keep = true;
      for (int i = 0; i < rules.size(); i++) {
        if (patterns.get(i).matcher(path).matches()) {
          keep = rules.get(i).include();
        }
      }
      return keep;
    };
  }

  /** The rules as a dpkg.cfg.d file. */
  static String dpkgExcludes(SlimSpec slim) {
    StringBuilder text = new StringBuilder();
    rules(slim).forEach(rule -> text.append(rule.line()).append('\n'));
    return text.toString();
  }
}
