package dev.rig.python.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.python.index.IndexClient;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.lock.LockedWheel;
import dev.rig.testkit.TestWheel;
import dev.rig.testkit.WheelIndex;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the resolver says when nothing fits, and what it records about what it chose. */
class ResolutionErrorsTest {
  private static final PythonTarget TARGET = PythonTarget.of("3.11.2", "amd64", "2.36");
  private static WheelIndex index;

  @BeforeAll
  static void serve() throws Exception {
    index = WheelIndex.start();
    OracleUniverse.fill(index);
  }

  @AfterAll
  static void stop() {
    index.close();
  }

  private static Resolution resolve(String... requirements) throws Exception {
    return new WheelResolver(IndexClient.standard())
        .resolve(List.of(requirements), TARGET, List.of(PackageIndex.of(index.json())));
  }

  @Test
  void aClashPrintsEveryRequirementWithTheChainThatBroughtItIn() {
    ResolutionException e =
        assertThrows(ResolutionException.class, () -> resolve("app==3.0", "lib<2"));
    assertTrue(e.getMessage().contains("the requirements on 'lib' that clash:"), e.getMessage());
    assertTrue(e.chain().contains("lib >=2 (from 'app==3.0' -> app 3.0)"), e.chain().toString());
    assertTrue(e.chain().contains("lib <2 (from 'lib<2')"), e.chain().toString());
  }

  @Test
  void aDeepClashNamesEveryStep() {
    ResolutionException e =
        assertThrows(ResolutionException.class, () -> resolve("alpha==2.0", "gamma<2"));
    assertTrue(
        e.chain().contains("gamma >=2 (from 'alpha==2.0' -> alpha 2.0 -> beta 2.0)"),
        e.getMessage());
  }

  @Test
  void sdistOnlyAndOtherPlatformProjectsAreRefusedNamingTheirVersions() {
    ResolutionException sdist = assertThrows(ResolutionException.class, () -> resolve("srconly"));
    assertTrue(
        sdist
            .getMessage()
            .contains(
                "versions with only a source distribution, which rig does not build: 1.0, 1.1"),
        sdist.getMessage());
    ResolutionException other = assertThrows(ResolutionException.class, () -> resolve("otherplat"));
    assertTrue(
        other
            .getMessage()
            .contains("no wheel of 'otherplat' fits CPython 3.11.2 on linux x86_64 (glibc 2.36)"),
        other.getMessage());
    assertTrue(
        other.getMessage().contains("1.0 (cp311-cp311-macosx_11_0_arm64, cp311-cp311-win_amd64)"),
        other.getMessage());
    ResolutionException unknown =
        assertThrows(ResolutionException.class, () -> resolve("nosuchproject"));
    assertTrue(
        unknown.getMessage().contains("no index knows the project 'nosuchproject'"),
        unknown.getMessage());
  }

  @Test
  void badRequirementsAreRefusedWithWhereAndHow() {
    ResolutionException url =
        assertThrows(
            ResolutionException.class,
            () -> resolve("purelib @ https://example.invalid/purelib-1.0-py3-none-any.whl"));
    assertTrue(url.getMessage().contains("names a direct URL"), url.getMessage());
    ResolutionException marker =
        assertThrows(ResolutionException.class, () -> resolve("purelib; python_versio < '3'"));
    assertTrue(
        marker.getMessage().contains("'python_versio' is not a marker variable"),
        marker.getMessage());
    assertTrue(marker.getMessage().contains("^"), marker.getMessage());
    ResolutionException version =
        assertThrows(ResolutionException.class, () -> resolve("purelib>=1.0.x"));
    assertTrue(
        version.getMessage().contains("'1.0.x' is not a PEP 440 version"), version.getMessage());
  }

  @Test
  void eachWheelRecordsWhatPulledItIn() throws Exception {
    Resolution r = resolve("needsextra", "markerdep");
    LockedWheel purelib =
        r.wheels().stream().filter(w -> w.name().equals("purelib")).findFirst().orElseThrow();
    // clitool 0.6 wants purelib<2, markerdep wants purelib>=2: clitool goes back to 0.5.
    assertEquals(List.of("markerdep 1.0"), purelib.requiredBy());
    LockedWheel clitool =
        r.wheels().stream().filter(w -> w.name().equals("clitool")).findFirst().orElseThrow();
    assertEquals("0.5", clitool.version());
    assertEquals(List.of("extraspkg 1.0"), clitool.requiredBy());
    LockedWheel needsextra =
        r.wheels().stream().filter(w -> w.name().equals("needsextra")).findFirst().orElseThrow();
    assertEquals(List.of("needsextra"), needsextra.requiredBy());
    assertEquals(64, purelib.sha256().length());
    assertEquals(TestWheel.pure("purelib", "2.0").bytes().length, purelib.size());
    assertEquals(WheelIndex.sha256(TestWheel.pure("purelib", "2.0").bytes()), purelib.sha256());
  }
}
