package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkedRootTest {
  @TempDir Path dir;

  private Path lower() throws IOException {
    Path lower = Files.createDirectories(dir.resolve("lower"));
    Files.createDirectories(lower.resolve("usr/bin"));
    Files.createDirectories(lower.resolve("etc/ssh"));
    Files.createDirectories(lower.resolve("var/mail"));
    Files.writeString(lower.resolve("usr/bin/tool"), "#!/bin/sh\n");
    Files.setAttribute(lower.resolve("usr/bin/tool"), "unix:mode", 04755);
    Files.createLink(lower.resolve("usr/bin/tool-alias"), lower.resolve("usr/bin/tool"));
    Files.writeString(lower.resolve("etc/ssh/sshd_config"), "Port 22\n");
    Files.writeString(lower.resolve("etc/shells"), "/bin/sh\n");
    Files.createSymbolicLink(lower.resolve("bin"), Path.of("usr/bin"));
    Files.setAttribute(lower.resolve("var/mail"), "unix:mode", 02775);
    Files.setAttribute(lower.resolve("var/mail"), "unix:gid", 8);
    return lower;
  }

  private static Object attr(Path path, String name) throws IOException {
    return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void filesAreLinkedExceptWhereScriptsEditThemWhichIsCopied() throws IOException {
    Path lower = lower();
    Path work = dir.resolve("work");
    LinkedRoot.of(lower, work, Set.of());
    assertEquals(
        attr(lower.resolve("usr/bin/tool"), "ino"), attr(work.resolve("usr/bin/tool"), "ino"));
    assertEquals(
        attr(work.resolve("usr/bin/tool"), "ino"), attr(work.resolve("usr/bin/tool-alias"), "ino"));
    assertNotEquals(
        attr(lower.resolve("etc/shells"), "ino"), attr(work.resolve("etc/shells"), "ino"));
    assertEquals("/bin/sh\n", Files.readString(work.resolve("etc/shells")));
    assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(work.resolve("bin")));
    assertEquals(02775, (Integer) attr(work.resolve("var/mail"), "mode") & 07777);
    assertEquals(8, attr(work.resolve("var/mail"), "gid"));
  }

  @Test
  void aScriptEditingALinkedFileInPlaceIsCaughtAndAReplacedOneIsNot() throws IOException {
    Path lower = lower();
    Path work = dir.resolve("work");
    LinkedRoot root = LinkedRoot.of(lower, work, Set.of());
    // dpkg's way: a new file renamed over the old one; the cached file is untouched.
    Path fresh = work.resolve("usr/bin/tool.dpkg-new");
    Files.writeString(fresh, "#!/bin/sh\necho new\n");
    Files.move(
        fresh, work.resolve("usr/bin/tool"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(List.of(), root.changedShared());
    // A script's way: chmod or an append on the linked file reaches the cached one.
    Files.setAttribute(work.resolve("usr/bin/tool-alias"), "unix:mode", 0700);
    // Both cached names of that inode changed with it.
    assertEquals(Set.of("usr/bin/tool", "usr/bin/tool-alias"), Set.copyOf(root.changedShared()));
  }

  @Test
  void filesNamedAsEditedBeforeAreCopied() throws IOException {
    Path lower = lower();
    Path work = dir.resolve("work");
    LinkedRoot root = LinkedRoot.of(lower, work, Set.of("usr/bin/tool"));
    Files.writeString(work.resolve("usr/bin/tool"), "edited\n", StandardOpenOption.APPEND);
    assertEquals("#!/bin/sh\n", Files.readString(lower.resolve("usr/bin/tool")));
    assertEquals(List.of(), root.changedShared());
  }

  @Test
  void copiesLeftAsTheyWereBecomeLinksAgainAndEditedOnesStayCopies() throws IOException {
    Path lower = lower();
    Path work = dir.resolve("work");
    LinkedRoot root = LinkedRoot.of(lower, work, Set.of());
    Path shells = work.resolve("etc/shells");
    Files.writeString(shells, "/bin/sh\n/bin/bash\n", StandardCharsets.UTF_8);
    root.relinkUnchanged();
    assertEquals(
        attr(lower.resolve("etc/ssh/sshd_config"), "ino"),
        attr(work.resolve("etc/ssh/sshd_config"), "ino"));
    assertNotEquals(attr(lower.resolve("etc/shells"), "ino"), attr(shells, "ino"));
    assertEquals("/bin/sh\n/bin/bash\n", Files.readString(shells));
    assertEquals("/bin/sh\n", Files.readString(lower.resolve("etc/shells")));
    assertFalse(Files.exists(work.resolve("etc/ssh/sshd_config.rig-link")));
    assertTrue(Files.isRegularFile(work.resolve("etc/ssh/sshd_config")));
  }
}
