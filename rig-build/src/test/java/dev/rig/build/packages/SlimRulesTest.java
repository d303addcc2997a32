package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.spec.SlimSpec;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The slim filter decides as dpkg's path-exclude/path-include rules do. */
class SlimRulesTest {
  private static List<String> kept(SlimSpec slim, String... paths) {
    Predicate<String> keeps = SlimRules.keeps(slim);
    return List.of(paths).stream().filter(keeps).toList();
  }

  @Test
  void lastMatchingRuleWinsAndStarCrossesDirectories() {
    SlimSpec all = new SlimSpec(true, true, true);
    assertEquals(
        List.of(
            "/usr/share/doc/curl/copyright",
            "/usr/share/locale/locale.alias",
            "/usr/bin/curl",
            "/usr/share/docs/x",
            "/usr/share/doc"),
        kept(
            all,
            "/usr/share/doc/curl/copyright",
            "/usr/share/doc/curl/changelog.Debian.gz",
            "/usr/share/doc/curl/examples/a.c",
            "/usr/share/man/man1/curl.1.gz",
            "/usr/share/info/dir",
            "/usr/share/locale/de/LC_MESSAGES/curl.mo",
            "/usr/share/locale/locale.alias",
            "/usr/bin/curl",
            "/usr/share/docs/x",
            "/usr/share/doc"));
  }

  @Test
  void onlyTheChosenPartsAreLeftOut() {
    assertEquals(
        List.of("/usr/share/doc/a/README", "/usr/share/locale/de/x.mo"),
        kept(
            new SlimSpec(false, true, false),
            "/usr/share/doc/a/README",
            "/usr/share/man/man1/a.1.gz",
            "/usr/share/locale/de/x.mo"));
    assertEquals(
        List.of("/usr/share/man/man1/a.1.gz"),
        kept(SlimSpec.KEEP_ALL, "/usr/share/man/man1/a.1.gz"));
  }
}
