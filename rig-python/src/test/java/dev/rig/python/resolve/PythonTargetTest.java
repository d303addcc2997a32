package dev.rig.python.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.python.marker.Marker;
import dev.rig.python.wheel.WheelFilename;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The target comes from the image's Debian packages, never from the build host. */
class PythonTargetTest {
  @Test
  void debianVersionsGiveTheUpstreamOnes() {
    PythonTarget t = PythonTarget.of("3.13.5-1+b1", "arm64", "2.41-12+deb13u1");
    assertEquals(new PythonTarget("3.13.5", "cp", "aarch64", "2.41", "linux"), t);
    assertEquals("3.13", t.pythonVersion());
    assertEquals(Optional.of("aarch64"), t.markerEnvironment().get("platform_machine"));
    assertTrue(
        Marker.parse(
                "python_version >= '3.13' and platform_machine == 'aarch64' and sys_platform == 'linux'"
                    + " and platform_python_implementation == 'CPython' and os_name == 'posix'")
            .evaluate(t.markerEnvironment()));
    assertTrue(
        t.supportedTags()
            .isCompatible(WheelFilename.parse("a-1-cp313-cp313-manylinux_2_41_aarch64.whl")));
  }

  @Test
  void unknownArchitecturesAndVersionsAreRefused() {
    IllegalArgumentException arch =
        assertThrows(
            IllegalArgumentException.class, () -> PythonTarget.of("3.13.5", "m68k", "2.41"));
    assertTrue(arch.getMessage().contains("amd64, arm64"), arch.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PythonTarget.of("3.13", "amd64", "2.41"));
    assertThrows(IllegalArgumentException.class, () -> PythonTarget.of("3.13.5", "amd64", "musl"));
  }
}
