package dev.rig.apt.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repacked .deb is the same package to dpkg, with its data stored plain: dpkg-deb reads the same
 * data.tar bytes, lists the same entries and the same control part from it.
 */
class DebRepackerTest {
  @TempDir static Path dir;
  static List<Path> debs;

  @BeforeAll
  static void build() throws IOException {
    debs =
        List.of(
            TestDebs.good(dir, "xzpkg", "xz"),
            TestDebs.good(dir, "zstpkg", "zstd"),
            TestDebs.good(dir, "gzpkg", "gzip"));
  }

  private static String sh(String script) {
    return Exec.run(List.of("sh", "-c", script)).ok().stdout();
  }

  @Test
  void dpkgDebReadsTheSameDataAndControlFromTheRepackedFile(@TempDir Path out) throws IOException {
    Tools.require("dpkg-deb", "dpkg");
    for (Path deb : debs) {
      Path repacked = out.resolve(deb.getFileName());
      RepackedDeb result = new DebRepacker().repack(DebArchive.open(deb), repacked);

      assertEquals(repacked, result.file());
      assertEquals("data.tar", DebArchive.open(repacked).dataMember());
      assertEquals(
          sh("dpkg-deb --fsys-tarfile '" + deb + "' | sha256sum"),
          sh("dpkg-deb --fsys-tarfile '" + repacked + "' | sha256sum"),
          "the data.tar is the one the compressed member held, byte for byte");
      assertEquals(sh("dpkg-deb -c '" + deb + "'"), sh("dpkg-deb -c '" + repacked + "'"));
      assertEquals(
          sh("dpkg-deb -I '" + deb + "' | grep -v '^ size '"),
          sh("dpkg-deb -I '" + repacked + "' | grep -v '^ size '"));
      assertEquals(
          sh("dpkg-deb --info '" + repacked + "' control"),
          sh("dpkg-deb --info '" + deb + "' control"));
      try (Stream<Path> left = Files.list(out)) {
        assertEquals(
            List.of(),
            left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
            "no temp file is left");
      }
    }
  }

  @Test
  void thePassListsTheCheckedEntriesAndKeepsTheConffiles(@TempDir Path out) throws IOException {
    Path deb = debs.get(0);
    RepackedDeb result = new DebRepacker().repack(DebArchive.open(deb), out.resolve("x.deb"));
    UnpackedDeb unpacked = new DebUnpacker(out.resolve("cache")).unpack(deb);

    assertEquals(unpacked.entries(), result.entries(), "the same entries DebUnpacker finds");
    assertArrayEquals(
        "setting=1\n".getBytes(StandardCharsets.UTF_8),
        result.conffile("/etc/xzpkg.conf").orElseThrow());
    assertFalse(result.conffile("/usr/bin/tool").isPresent(), "only conffiles are kept");
  }

  @Test
  void aPackageThatWouldWriteOutsideItsRootIsRefused(@TempDir Path out) throws IOException {
    Path evil =
        TestDebs.handMade(
            dir,
            "evil",
            List.of(
                TestDebs.Entry.symlink("./etc", "/etc"), TestDebs.Entry.file("./etc/passwd", "x")));
    Path target = out.resolve("evil.deb");

    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () -> new DebRepacker().repack(DebArchive.open(evil), target));
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());
    assertFalse(Files.exists(target), "nothing is left under the target name");
  }
}
