package dev.rig.oci.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTreeTest {
  @TempDir Path temp;

  private Path tree() throws IOException {
    Path root = Files.createDirectories(temp.resolve("tree"));
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("b.sh"), "#!/bin/sh\n");
    Files.writeString(root.resolve("a.txt"), "a");
    Files.writeString(root.resolve("sub/c.txt"), "c");
    Files.createSymbolicLink(root.resolve("link"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("sub-link"), Path.of("sub"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-x---"));
    Files.setPosixFilePermissions(
        root.resolve("sub"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(
        root.resolve("b.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        root.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setAttribute(root.resolve("b.sh"), "unix:mode", 04755);
    return root;
  }

  @Test
  void keepsHostModesAndSymlinksInSortedOrder() throws IOException {
    List<LayerEntry> entries = HostTree.entries(tree(), "/opt/app", OptionalInt.empty(), 1000, 100);
    assertEquals(
        List.of(
            "/opt/app",
            "/opt/app/a.txt",
            "/opt/app/b.sh",
            "/opt/app/link",
            "/opt/app/sub",
            "/opt/app/sub/c.txt",
            "/opt/app/sub-link"),
        entries.stream().map(LayerEntry::path).toList());
    Map<String, LayerEntry> byPath =
        entries.stream().collect(Collectors.toMap(LayerEntry::path, e -> e));
    assertEquals(0750, byPath.get("/opt/app").mode());
    assertEquals(0700, byPath.get("/opt/app/sub").mode());
    assertEquals(04755, byPath.get("/opt/app/b.sh").mode());
    assertEquals(0640, byPath.get("/opt/app/a.txt").mode());
    assertEquals(EntryType.SYMLINK, byPath.get("/opt/app/link").type());
    assertEquals("/etc/passwd", byPath.get("/opt/app/link").linkTarget());
    assertEquals(EntryType.SYMLINK, byPath.get("/opt/app/sub-link").type());
    assertEquals(1000, byPath.get("/opt/app/sub/c.txt").uid());
    assertEquals(100, byPath.get("/opt/app/sub/c.txt").gid());
  }

  @Test
  void overrideSetsFileModesAndSearchableDirectoryModes() throws IOException {
    Map<String, LayerEntry> byPath =
        HostTree.entries(tree(), "/srv", OptionalInt.of(0640), 0, 0).stream()
            .collect(Collectors.toMap(LayerEntry::path, e -> e));
    assertEquals(0640, byPath.get("/srv/b.sh").mode());
    assertEquals(0750, byPath.get("/srv/sub").mode());
    assertEquals(0750, byPath.get("/srv").mode());
    assertEquals(0755, HostTree.directoryMode(0644));
    assertEquals(0700, HostTree.directoryMode(0600));
  }

  @Test
  void rootImagePathAddsNoEntryForTheRootItself() throws IOException {
    List<LayerEntry> entries = HostTree.entries(tree(), "/", OptionalInt.empty(), 0, 0);
    assertEquals("/a.txt", entries.get(0).path());
  }

  @Test
  void rejectsFifos() throws Exception {
    Path root = Files.createDirectories(temp.resolve("fifo"));
    new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start().waitFor();
    assertThrows(IOException.class, () -> HostTree.entries(root, "/x", OptionalInt.empty(), 0, 0));
  }
}
