package dev.rig.python.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Wheel tags: the list rig ranks for a target must be the very list pip computes for the host's
 * CPython (same tags, same order), since pip picks among a version's wheels by that order.
 */
class SupportedTagsTest {
  @Test
  void theHostTagsAreExactlyThoseOfPip() {
    String out =
        Exec.run(
                List.of(
                    "/usr/bin/python3",
                    "-c",
                    "import platform, sys\n"
                        + "from pip._internal.utils.compatibility_tags import get_supported\n"
                        + "print(sys.version_info[0], sys.version_info[1], platform.machine(),"
                        + " platform.libc_ver()[1])\n"
                        + "for t in get_supported(): print(t)\n"),
                Map.of(),
                null,
                Duration.ofSeconds(30))
            .ok()
            .stdout();
    List<String> lines = out.strip().lines().toList();
    String[] host = lines.get(0).split(" ");
    String[] glibc = host[3].split("\\.");
    SupportedTags tags =
        SupportedTags.forCPython(
            Integer.parseInt(host[0]),
            Integer.parseInt(host[1]),
            host[2],
            Integer.parseInt(glibc[0]),
            Integer.parseInt(glibc[1]));
    List<String> rig = tags.ordered().stream().map(Tag::toString).toList();
    List<String> pip = lines.subList(1, lines.size());
    for (int i = 0; i < Math.min(pip.size(), rig.size()); i++) {
      assertEquals(pip.get(i), rig.get(i), "tag number " + i);
    }
    assertEquals(pip.size(), rig.size(), "how many tags");
  }

  @Test
  void manylinuxFitsUpToTheTargetGlibcAndLegacyNamesAreAliases() {
    SupportedTags cp313 = SupportedTags.forCPython(3, 13, "x86_64", 2, 41);
    assertTrue(
        cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux_2_41_x86_64.whl")));
    assertFalse(
        cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux_2_42_x86_64.whl")));
    assertTrue(cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux2014_x86_64.whl")));
    assertTrue(cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux1_x86_64.whl")));
    assertFalse(
        cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-musllinux_1_2_x86_64.whl")));
    assertFalse(
        cp313.isCompatible(WheelFilename.parse("a-1-cp312-cp312-manylinux2014_x86_64.whl")));
    assertTrue(cp313.isCompatible(WheelFilename.parse("a-1-cp39-abi3-manylinux2014_x86_64.whl")));
    assertFalse(cp313.isCompatible(WheelFilename.parse("a-1-cp314-abi3-manylinux2014_x86_64.whl")));
    assertFalse(
        cp313.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux2014_aarch64.whl")));
    assertTrue(cp313.isCompatible(WheelFilename.parse("a-1-py2.py3-none-any.whl")));
    SupportedTags arm = SupportedTags.forCPython(3, 13, "aarch64", 2, 41);
    assertTrue(arm.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux2014_aarch64.whl")));
    assertFalse(arm.isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux_2_5_aarch64.whl")));
  }

  @Test
  void theMostSpecificTagRanksFirst() {
    SupportedTags tags = SupportedTags.forCPython(3, 11, "x86_64", 2, 36);
    int own = tags.rank(WheelFilename.parse("a-1-cp311-cp311-manylinux_2_17_x86_64.whl")).get();
    int abi3 = tags.rank(WheelFilename.parse("a-1-cp38-abi3-manylinux_2_17_x86_64.whl")).get();
    int pure = tags.rank(WheelFilename.parse("a-1-py3-none-any.whl")).get();
    assertTrue(own < abi3 && abi3 < pure);
  }

  @Test
  void wheelFileNames() {
    WheelFilename w =
        WheelFilename.parse(
            "Typing_Extensions-4.12.2-1b-py3-none-manylinux1_x86_64.manylinux2014_x86_64.whl");
    assertEquals("typing-extensions", w.name());
    assertEquals("4.12.2", w.version().toString());
    assertEquals(Optional.of("1b"), w.build());
    assertEquals(2, w.tags().size());
    assertThrows(IllegalArgumentException.class, () -> WheelFilename.parse("a-1-py3-none.whl"));
    assertThrows(IllegalArgumentException.class, () -> WheelFilename.parse("a-1.tar.gz"));
    assertThrows(
        IllegalArgumentException.class, () -> WheelFilename.parse("a-x.y-py3-none-any.whl"));
  }
}
