package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.deb.UnpackedEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths are resolved inside the image root, following the root's symlinks, never the host's. */
class RootfsWriterTest {
  @TempDir Path dir;

  @Test
  void linksInTheRootAreFollowedInsideIt() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path outside = dir.resolve("outside");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    // An absolute link: on the host it names a directory outside the root.
    Files.createSymbolicLink(root.resolve("evil"), outside.toAbsolutePath());
    Path tree = Files.createDirectories(dir.resolve("tree/bin"));
    Files.writeString(tree.resolve("sh"), "#!shell");
    Files.createDirectories(dir.resolve("tree/evil"));
    Files.writeString(dir.resolve("tree/evil/x"), "x");
    UnpackedDeb deb =
        new UnpackedDeb(
            "0".repeat(64),
            null,
            dir.resolve("tree"),
            List.of(
                new UnpackedEntry("/bin/sh", DataEntry.Type.FILE, 0755, "root", "root", 0, 0, ""),
                new UnpackedEntry("/evil/x", DataEntry.Type.FILE, 0644, "root", "root", 0, 0, "")));

    new RootfsWriter(root).write(deb);

    assertEquals("#!shell", Files.readString(root.resolve("usr/bin/sh")));
    assertTrue(Files.isSymbolicLink(root.resolve("bin")), "the usr-merge link stays a link");
    assertEquals("x", Files.readString(root.resolve(outside.toString().substring(1)).resolve("x")));
    assertFalse(Files.exists(outside), "nothing is written outside the root");
  }
}
