package dev.rig.build.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initramfs archive: cpio(1) reads it, entries sorted, times 0, owners root, same bytes. */
class NewcArchiveTest {
  @TempDir Path dir;

  private static byte[] archive(boolean reversed) throws Exception {
    NewcArchive cpio = new NewcArchive();
    if (reversed) {
      cpio.file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
          .symlink("bin/sh", "busybox")
          .file("bin/busybox", 0755, new byte[] {1, 2, 3})
          .charDevice("dev/console", 0600, 5, 1)
          .directory("dev")
          .directory("bin");
    } else {
      cpio.directory("bin")
          .directory("dev")
          .charDevice("dev/console", 0600, 5, 1)
          .file("bin/busybox", 0755, new byte[] {1, 2, 3})
          .symlink("bin/sh", "busybox")
          .file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cpio.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void cpioReadsItSortedWithFixedTimesAndOwnersAndTheOrderOfAddingDoesNotMatter() throws Exception {
    Tools.require("cpio", "cpio");
    byte[] bytes = archive(false);
    assertArrayEquals(bytes, archive(true));
    assertEquals(0, bytes.length % 512);
    Path file = dir.resolve("initrd.cpio");
    Files.write(file, bytes);
    Exec.Result listing =
        Exec.run(List.of("sh", "-c", "cpio -itv --quiet < " + file + " | tr -s ' '")).ok();
    List<String> lines = listing.stdout().lines().toList();
    assertEquals(6, lines.size(), listing.stdout());
    assertEquals(
        List.of("bin", "bin/busybox", "bin/sh -> busybox", "dev", "dev/console", "init"),
        lines.stream().map(l -> l.substring(l.indexOf("1970 ") + 5)).toList());
    for (String line : lines) {
      assertEquals("root root", line.split(" ")[2] + " " + line.split(" ")[3], line);
    }
    assertEquals("crw-------", lines.get(4).substring(0, 10));
    Exec.run(List.of("sh", "-c", "cd " + dir + " && cpio -id --quiet < " + file)).ok();
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("bin/busybox")));
  }
}
