package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.deb.UnpackedEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
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

  /**
   * A linking writer (rig-init's Java tools root) shares the unpacked tree's inodes: no file is
   * copied, and the tree's modes are left as they are.
   */
  @Test
  void aLinkingWriterLinksTheTreesFilesAndLeavesTheirModes() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path tree = Files.createDirectories(dir.resolve("tree/usr/bin"));
    Path tool = tree.resolve("tool");
    Files.writeString(tool, "#!tool");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    UnpackedDeb deb =
        new UnpackedDeb(
            "0".repeat(64),
            null,
            dir.resolve("tree"),
            List.of(
                new UnpackedEntry(
                    "/usr/bin", DataEntry.Type.DIRECTORY, 0755, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/usr/bin/tool", DataEntry.Type.FILE, 0555, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/usr/bin/alias",
                    DataEntry.Type.HARDLINK,
                    0555,
                    "root",
                    "root",
                    0,
                    0,
                    "/usr/bin/tool")));

    new RootfsWriter(root).linking().write(deb);

    Object inode = Files.getAttribute(tool, "unix:ino");
    assertEquals(inode, Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"));
    assertEquals(inode, Files.getAttribute(root.resolve("usr/bin/alias"), "unix:ino"));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(tool)));
    assertEquals(3, Files.getAttribute(tool, "unix:nlink"));
  }

  private static RepackedDeb skeletonOf(
      List<UnpackedEntry> entries, Map<String, byte[]> conffiles) {
    return new RepackedDeb(Path.of("unused.deb"), null, entries, conffiles);
  }

  @Test
  void theSkeletonIsDirectoriesSymlinksAndConffilesOnly() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    RepackedDeb deb =
        skeletonOf(
            List.of(
                new UnpackedEntry("/etc", DataEntry.Type.DIRECTORY, 0755, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/etc/x.conf", DataEntry.Type.FILE, 0640, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/usr/bin", DataEntry.Type.DIRECTORY, 0755, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/usr/bin/x", DataEntry.Type.FILE, 0755, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/usr/bin/y", DataEntry.Type.SYMLINK, 0777, "root", "root", 0, 0, "x"),
                new UnpackedEntry(
                    "/usr/bin/z",
                    DataEntry.Type.HARDLINK,
                    0755,
                    "root",
                    "root",
                    0,
                    0,
                    "/usr/bin/x"),
                new UnpackedEntry(
                    "/usr/share/man/man1",
                    DataEntry.Type.DIRECTORY,
                    0750,
                    "root",
                    "root",
                    0,
                    0,
                    ""),
                new UnpackedEntry(
                    "/usr/share/man/man1/x.1",
                    DataEntry.Type.FILE,
                    0644,
                    "root",
                    "root",
                    0,
                    0,
                    "")),
            Map.of("/etc/x.conf", "conf\n".getBytes(StandardCharsets.UTF_8)));

    new RootfsWriter(root, path -> !path.startsWith("/usr/share/man/")).writeSkeleton(deb);

    assertEquals("conf\n", Files.readString(root.resolve("etc/x.conf")));
    assertEquals(
        "rw-r-----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/x.conf"))));
    assertEquals(Path.of("x"), Files.readSymbolicLink(root.resolve("usr/bin/y")));
    assertFalse(Files.exists(root.resolve("usr/bin/x")), "dpkg writes the files");
    assertFalse(Files.exists(root.resolve("usr/bin/z")), "and the hardlinks");
    assertTrue(Files.isDirectory(root.resolve("usr/share/man/man1")), "a filtered directory stays");
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(root.resolve("usr/share/man/man1"))));
  }

  @Test
  void inAConfiguredRootOnlyWhatIsMissingIsAdded() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.setPosixFilePermissions(
        root.resolve("etc"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(root.resolve("etc/x.conf"), "changed by a script\n");
    RepackedDeb deb =
        skeletonOf(
            List.of(
                new UnpackedEntry("/etc", DataEntry.Type.DIRECTORY, 0700, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/etc/x.conf", DataEntry.Type.FILE, 0644, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/etc/y.conf", DataEntry.Type.FILE, 0644, "root", "root", 0, 0, ""),
                new UnpackedEntry(
                    "/var/lib/x", DataEntry.Type.DIRECTORY, 0700, "root", "root", 0, 0, "")),
            Map.of(
                "/etc/x.conf", "shipped\n".getBytes(StandardCharsets.UTF_8),
                "/etc/y.conf", "shipped\n".getBytes(StandardCharsets.UTF_8)));

    new RootfsWriter(root).addingOnly().writeSkeleton(deb);

    assertEquals("changed by a script\n", Files.readString(root.resolve("etc/x.conf")));
    assertEquals("shipped\n", Files.readString(root.resolve("etc/y.conf")));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc"))),
        "an existing directory keeps its mode");
    assertTrue(Files.isDirectory(root.resolve("var/lib/x")));
  }
}
