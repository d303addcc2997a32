package dev.rig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's deletes never reach through a mount left in a run's directory. */
class FsTest {
  @TempDir Path dir;

  @Test
  void aTreeWithAMountInsideIsRefusedAndWhatIsMountedThereSurvives() throws Exception {
    // What a bench step stopped midway leaves: a host directory (here a stand-in for /dev/shm)
    // bind-mounted inside the run's directory.
    Path host = Files.createDirectories(dir.resolve("host"));
    Files.writeString(host.resolve("keep"), "the host's file\n");
    Path run = Files.createDirectories(dir.resolve("run"));
    Path point = Files.createDirectories(run.resolve("rootfs/dev/shm"));
    Files.writeString(run.resolve("output"), "x");
    exec("mount", "--bind", host.toString(), point.toString());
    try {
      assertEquals(List.of(point.toRealPath().toString()), Fs.mountsUnder(run.toRealPath()));
      IOException refused = assertThrows(IOException.class, () -> Fs.deleteTreeUnlessMounted(run));
      assertTrue(refused.getMessage().contains("rootfs/dev/shm"), refused.getMessage());
      assertTrue(Files.exists(run.resolve("output")), "nothing is deleted when a mount is inside");
      assertTrue(Files.exists(host.resolve("keep")));
    } finally {
      exec("umount", point.toString());
    }
    Fs.deleteTreeUnlessMounted(run);
    assertFalse(Files.exists(run));
    assertTrue(Files.exists(host.resolve("keep")));
    assertTrue(Fs.mountsUnder(dir.toRealPath()).isEmpty());
  }

  @Test
  void aMissingTreeIsFine() throws IOException {
    Fs.deleteTreeUnlessMounted(dir.resolve("absent"));
    assertFalse(Fs.mountsUnder(Path.of("/")).isEmpty());
  }

  private static void exec(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
  }
}
