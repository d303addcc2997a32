package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A maintainer script may leave absolute links in the root; cleaning it after the scripts ran must
 * not read, rewrite or delete the host files they name.
 */
class NormalizerLinksTest {
  @TempDir Path dir;

  @Test
  void linksPlantedByScriptsDoNotReachTheHost() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.createDirectories(root.resolve("var/lib/apt"));
    String hostShadow = "root:$6$secret:19000:0:99999:7:::\n";
    Path outsideFile = Files.writeString(dir.resolve("host-shadow"), hostShadow);
    Path outsideDir = Files.createDirectories(dir.resolve("host-log"));
    Files.writeString(outsideDir.resolve("dpkg.log"), "host log");
    Files.createDirectories(outsideDir.resolve("apt"));
    Files.writeString(outsideDir.resolve("apt/history.log"), "host history");
    Path outsideLists = Files.createDirectories(dir.resolve("host-lists"));
    Files.writeString(outsideLists.resolve("index"), "host index");
    Files.createSymbolicLink(root.resolve("etc/shadow"), outsideFile);
    Files.createSymbolicLink(root.resolve("var/log"), outsideDir);
    Files.createSymbolicLink(root.resolve("var/lib/apt/lists"), outsideLists);
    Files.createSymbolicLink(root.resolve("etc/machine-id"), outsideFile);

    Normalizer.clean(root, Instant.ofEpochSecond(86400L * 20000));

    assertEquals(hostShadow, Files.readString(outsideFile));
    assertEquals("host log", Files.readString(outsideDir.resolve("dpkg.log")));
    assertEquals("host history", Files.readString(outsideDir.resolve("apt/history.log")));
    assertEquals("host index", Files.readString(outsideLists.resolve("index")));
    // The planted machine-id link is removed as the file would be; its target stays.
    assertTrue(
        Files.notExists(root.resolve("etc/machine-id"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void shadowInTheRootIsStillPinned() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");

    Normalizer.clean(root, Instant.ofEpochSecond(86400L * 20000));

    assertEquals("root:*:20000:0:99999:7:::\n", Files.readString(root.resolve("etc/shadow")));
  }
}
