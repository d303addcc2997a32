package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.PackageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebControlsTest {
  private static final String SHA = "ab".repeat(32);

  private static PackageRecord control() {
    return PackageRecord.from(
        ControlParser.parse(
                "htop.deb:control",
                "Package: htop\nVersion: 3.4.1-5\nArchitecture: amd64\n"
                    + "Depends: libc6 (>= 2.38), libncursesw6 (>= 6), libnl-3-200 | hello\n"
                    + "Provides: top-like (= 1)\nPriority: optional\nDescription: viewer\n more\n")
            .get(0));
  }

  @Test
  void aControlComesBackAsItWasKept(@TempDir Path stages) throws IOException {
    DebControls controls = DebControls.in(stages);
    assertEquals(Optional.empty(), controls.get(SHA));
    controls.put(SHA, control());
    assertEquals(Optional.of(control()), DebControls.in(stages).get(SHA));
    assertEquals(Optional.empty(), controls.get("cd".repeat(32)));
  }

  @Test
  void aDamagedEntryIsNotTrusted(@TempDir Path stages) throws IOException {
    DebControls controls = DebControls.in(stages);
    controls.put(SHA, control());
    Path file = stages.resolve(DebControls.DIR).resolve(SHA);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x04;
    Files.write(file, bytes);
    assertTrue(controls.get(SHA).isEmpty());
    // Read from the .deb again and rewritten: good from then on.
    controls.put(SHA, control());
    assertEquals(Optional.of(control()), controls.get(SHA));
  }
}
