package dev.rig.build.packages;

import dev.rig.spec.SlimSpec;

/**
 * The slim options as dpkg path filters: dpkg itself leaves the files out, at build time and for
 * packages installed later in a running container, and its database stays consistent.
 */
final class SlimRules {
  private SlimRules() {}

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
