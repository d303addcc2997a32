package dev.rig.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vm} section: defaults, values read from YAML, located errors for bad values. */
class VmSpecTest {
  @TempDir Path dir;

  private ImageSpec load(String yaml) throws Exception {
    Path file = dir.resolve("rig.yaml");
    Files.writeString(file, yaml);
    return SpecLoader.load(file).images().get("x");
  }

  @Test
  void defaultsAndValues() throws Exception {
    assertEquals(VmSpec.DEFAULT, load("images:\n  x: {}\n").vm());
    VmSpec vm =
        load("images:\n  x:\n    vm:\n      kernelPackage: linux-image-amd64\n"
                + "      vcpus: 4\n      memoryMiB: 2048\n      diskSizeMiB: 900\n"
                + "      cmdline: [mitigations=off, quiet]\n"
                + "      gpu: { vfioBind: true, nvidiaDriver: true }\n")
            .vm();
    assertEquals(
        new VmSpec(
            "linux-image-amd64",
            4,
            2048,
            Optional.of(900),
            256,
            List.of("mitigations=off", "quiet"),
            true,
            true),
        vm);
  }

  @Test
  void aKernelWordWithASpaceOrTooLittleMemoryIsALocatedError() {
    Path file = dir.resolve("rig.yaml");
    SpecException word =
        assertThrows(
            SpecException.class,
            () -> {
              Files.writeString(file, "images:\n  x:\n    vm:\n      cmdline: [\"a b\"]\n");
              SpecLoader.load(file);
            });
    assertEquals(4, word.line(), word.getMessage());
    assertTrue(word.getMessage().contains("cmdline"), word.getMessage());
    SpecException memory =
        assertThrows(
            SpecException.class,
            () -> {
              Files.writeString(file, "images:\n  x:\n    vm:\n      memoryMiB: 64\n");
              SpecLoader.load(file);
            });
    assertEquals(4, memory.line(), memory.getMessage());
    assertTrue(memory.getMessage().contains("memoryMiB"), memory.getMessage());
  }
}
