package dev.rig.build.rootfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths in an image root are resolved as a chroot would: no link reaches out of the root. */
class ImageRootTest {
  @TempDir Path dir;
  private Path root;
  private ImageRoot image;

  @BeforeEach
  void root() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    image = ImageRoot.of(root);
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    Files.createDirectories(root.resolve("etc"));
  }

  @Test
  void anAbsoluteLinkIsTakenInsideTheRoot() throws IOException {
    Path outside = Files.writeString(dir.resolve("host-shadow"), "host");
    Files.createSymbolicLink(root.resolve("etc/shadow"), outside);
    Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));

    assertEquals(root.resolve(outside.toString().substring(1)), image.resolve("/etc/shadow"));
    assertEquals(root.resolve("etc/shadow"), image.resolveLink("etc/shadow"));
    assertEquals(
        root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6"),
        image.resolve("lib/x86_64-linux-gnu/libc.so.6"));
    assertFalse(image.exists("etc/shadow"));
    assertThrows(IOException.class, () -> image.readString("etc/shadow"));
  }

  @Test
  void aRelativeLinkIsTakenFromItsDirectory() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/alternatives"), Path.of("../usr/lib"));
    Files.writeString(root.resolve("usr/lib/java"), "jdk");

    assertEquals(root.resolve("usr/lib/java"), image.resolve("etc/alternatives/java"));
    assertEquals("jdk", image.readString("/etc/alternatives/java"));
  }

  @Test
  void dotDotNeverClimbsAboveTheRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../.."));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../etc/host-passwd"));

    assertEquals(root, image.resolve("../../.."));
    assertEquals(root.resolve("etc"), image.resolve("/../../etc"));
    assertEquals(root.resolve("usr"), image.resolve("etc/up/usr"));
    assertEquals(root.resolve("etc/host-passwd"), image.resolve("etc/passwd"));
  }

  @Test
  void aLinkLoopIsAnErrorNotAHang() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("etc/b"), Path.of("/etc/a"));
    Files.createSymbolicLink(root.resolve("etc/self"), Path.of("self/x"));

    IOException loop = assertThrows(IOException.class, () -> image.resolve("etc/a"));
    assertTrue(loop.getMessage().contains("too many levels of symbolic links"), loop.getMessage());
    assertThrows(IOException.class, () -> image.resolve("etc/self"));
    // The link itself can still be named (and removed).
    assertEquals(root.resolve("etc/a"), image.resolveLink("etc/a"));
    assertTrue(image.delete("etc/a"));
    assertFalse(Files.exists(root.resolve("etc/a"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void deletingALinkRemovesTheLinkNotItsTarget() throws IOException {
    Path hostDir = Files.createDirectories(dir.resolve("host-log"));
    Files.writeString(hostDir.resolve("keep"), "host");
    Files.createDirectories(root.resolve("var"));
    Files.createSymbolicLink(root.resolve("var/log"), hostDir);

    assertFalse(image.delete("var/log/keep"));
    assertEquals(List.of(), image.list("var/log"));
    assertTrue(image.delete("var/log"));
    assertTrue(Files.exists(hostDir.resolve("keep")));
  }

  @Test
  void replaceKeepsModeAndOwnerAndListNamesImagePaths() throws IOException {
    Path shadow = Files.writeString(root.resolve("etc/shadow"), "old");
    Files.setAttribute(shadow, "unix:mode", 0640);
    Files.setAttribute(shadow, "unix:gid", 42);

    image.replace("etc/shadow", "new".getBytes(StandardCharsets.UTF_8));

    assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(shadow));
    assertEquals(0640, (Integer) Files.getAttribute(shadow, "unix:mode") & 07777);
    assertEquals(42, Files.getAttribute(shadow, "unix:gid"));
    assertEquals(List.of("/etc/shadow"), image.list("/etc"));
  }
}
