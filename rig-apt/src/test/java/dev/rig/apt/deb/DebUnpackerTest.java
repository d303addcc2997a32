package dev.rig.apt.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebUnpackerTest {
  @TempDir static Path dir;
  static Path xzDeb;
  static Path zstdDeb;
  static Path gzipDeb;

  @BeforeAll
  static void build() throws IOException {
    xzDeb = TestDebs.good(dir, "goodpkg", "xz");
    zstdDeb = TestDebs.good(dir, "zstdpkg", "zstd");
    gzipDeb = TestDebs.good(dir, "gzpkg", "gzip");
  }

  @Test
  void readsControlPartOfEveryCompression() throws IOException {
    for (Path deb : List.of(xzDeb, zstdDeb, gzipDeb)) {
      DebArchive a = DebArchive.open(deb);
      String name = a.packageName();
      assertEquals("1.0", a.version());
      assertEquals("same", a.control().require("Multi-Arch"));
      assertEquals(List.of("/etc/" + name + ".conf"), a.conffiles());
      assertEquals(List.of("postinst"), a.maintainerScripts());
      assertTrue(a.md5sums().contains("usr/bin/tool"), a.md5sums());
      assertTrue(a.dataMember().startsWith("data.tar."), a.dataMember());
    }
    assertEquals("data.tar.zst", DebArchive.open(zstdDeb).dataMember());
    assertEquals("data.tar.gz", DebArchive.open(gzipDeb).dataMember());
  }

  @Test
  void unpacksLinksModesAndOwnersIntoTheCache(@TempDir Path cache) throws IOException {
    for (Path deb : List.of(xzDeb, zstdDeb, gzipDeb)) {
      UnpackedDeb u = new DebUnpacker(cache).unpack(deb);
      String name = u.archive().packageName();
      assertEquals(
          cache.resolve("unpacked").resolve(DebUnpacker.sha256(deb)).resolve("tree"), u.tree());
      // The image's passwd says daemon is 7, whatever the build host says.
      IdMap ids =
          IdMap.parse(
              "root:x:0:0::/root:/bin/sh\ndaemon:x:7:7::/:/bin/false\n",
              "root:x:0:\ndaemon:x:8:\n");
      Map<String, LayerEntry> byPath = byPath(u.layerEntries(ids, ExcludeOptions.NONE));
      LayerEntry tool = byPath.get("/usr/bin/tool");
      assertEquals(EntryType.FILE, tool.type());
      assertEquals(0755, tool.mode());
      assertEquals(
          "#!/bin/sh\necho tool\n", Files.readString(((Content.HostFile) tool.content()).path()));
      LayerEntry hard = byPath.get("/usr/bin/tool-hard");
      assertEquals(EntryType.HARDLINK, hard.type());
      assertEquals("/usr/bin/tool", hard.linkTarget());
      assertEquals(EntryType.SYMLINK, byPath.get("/usr/bin/tool-link").type());
      assertEquals("tool", byPath.get("/usr/bin/tool-link").linkTarget());
      LayerEntry state = byPath.get("/var/lib/" + name + "/state");
      assertEquals(7, state.uid());
      assertEquals(8, state.gid());
      assertEquals(0640, state.mode());
      assertEquals(04755, byPath.get("/usr/lib/" + name + "/helper").mode());
      assertEquals(0750, byPath.get("/usr/lib/" + name).mode());
      assertFalse(byPath.containsKey("/"), "the archive root is no entry");
      assertTrue(
          byPath.keySet().stream().noneMatch(p -> p.startsWith("/.")), byPath.keySet().toString());
      // Without a passwd entry the archive's numeric id stays (daemon is 1 on Debian hosts).
      assertEquals(
          1,
          byPath(u.layerEntries(IdMap.ROOT_ONLY, ExcludeOptions.NONE))
              .get("/var/lib/" + name + "/state")
              .uid());
    }
  }

  @Test
  void slimExcludesKeepCopyrightAndLocaleAlias(@TempDir Path cache) throws IOException {
    UnpackedDeb u = new DebUnpacker(cache).unpack(xzDeb);
    Map<String, LayerEntry> slim = byPath(u.layerEntries(IdMap.ROOT_ONLY, ExcludeOptions.SLIM));
    assertTrue(slim.containsKey("/usr/share/doc/goodpkg/copyright"));
    assertFalse(slim.containsKey("/usr/share/doc/goodpkg/README"));
    assertFalse(slim.containsKey("/usr/share/man/man1/tool.1"));
    assertFalse(slim.containsKey("/usr/share/locale/de/LC_MESSAGES/tool.mo"));
    assertTrue(slim.containsKey("/usr/share/locale/locale.alias"));
    assertFalse(u.installedPaths(ExcludeOptions.SLIM).contains("/usr/share/doc/goodpkg/README"));
  }

  @Test
  void reusesACompleteUnpackAndLeavesNoTempDirectories(@TempDir Path cache) throws IOException {
    DebUnpacker unpacker = new DebUnpacker(cache);
    UnpackedDeb first = unpacker.unpack(xzDeb);
    Path marker = first.tree().resolve("usr/bin/tool");
    Files.writeString(marker, "changed in cache\n");
    UnpackedDeb second = unpacker.unpack(xzDeb);
    assertEquals(first.entries(), second.entries());
    assertEquals(
        "changed in cache\n", Files.readString(marker), "a cached unpack is reused, not redone");
    try (Stream<Path> s = Files.list(cache.resolve("unpacked"))) {
      assertEquals(
          List.of(DebUnpacker.sha256(xzDeb)), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * A character or block device or a fifo in data.tar is refused with the package and the path:
   * unpacked as an empty regular file, it would silently become something else in the image.
   */
  /**
   * Unpackers of one process asked for the same .deb at once (an image's first stage and rig-init's
   * Java tools): its data is decoded once, and every one gets the same tree.
   */
  @Test
  void unpackersOfOneProcessUnpackADebOnce(@TempDir Path cache) throws Exception {
    java.util.concurrent.atomic.AtomicInteger decoded =
        new java.util.concurrent.atomic.AtomicInteger();
    DataDecoder counting =
        (deb, member, offset, length) -> {
          decoded.incrementAndGet();
          return DataDecoder.IN_PROCESS.open(deb, member, offset, length);
        };
    String sha256 = DebUnpacker.sha256(xzDeb);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      List<java.util.concurrent.Future<UnpackedDeb>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 6; t++) {
        futures.add(pool.submit(() -> new DebUnpacker(cache, counting).unpack(xzDeb, sha256)));
      }
      for (java.util.concurrent.Future<UnpackedDeb> f : futures) {
        assertEquals(futures.get(0).get().entries(), f.get().entries());
        assertEquals(futures.get(0).get().tree(), f.get().tree());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, decoded.get(), "the data member was decoded once");
  }

  @Test
  void refusesDevicesAndFifos(@TempDir Path cache) throws IOException {
    Map<String, TestDebs.Entry> special =
        Map.of(
            "chr", TestDebs.Entry.charDevice("./dev/null-copy"),
            "blk", TestDebs.Entry.blockDevice("./dev/sda-copy"),
            "fifo", TestDebs.Entry.fifo("./run/pipe"));
    for (Map.Entry<String, TestDebs.Entry> s : special.entrySet()) {
      Path deb =
          TestDebs.handMade(
              dir(cache, s.getKey()),
              "special-" + s.getKey(),
              List.of(TestDebs.Entry.dir("./"), s.getValue()));
      UnsafePackageException e =
          assertThrows(UnsafePackageException.class, () -> new DebUnpacker(cache).unpack(deb));
      assertTrue(
          e.getMessage().startsWith("package special-" + s.getKey() + " 6.6.6: "), e.getMessage());
      assertTrue(e.getMessage().contains(s.getValue().name()), e.getMessage());
      assertTrue(e.getMessage().contains("device or fifo"), e.getMessage());
    }
  }

  private static Path dir(Path parent, String name) throws IOException {
    return Files.createDirectories(parent.resolve("debs-" + name));
  }

  @Test
  void refusesDotDotAbsoluteAndSymlinkedParentEscapes(@TempDir Path cache) throws IOException {
    Path outside = cache.resolve("outside");
    Files.createDirectories(outside);
    Map<String, List<TestDebs.Entry>> hostile =
        Map.of(
            "dotdot",
            List.of(TestDebs.Entry.dir("./"), TestDebs.Entry.file("./usr/../../escaped", "x")),
            "absolute",
            List.of(TestDebs.Entry.file("/etc/passwd-evil", "x")),
            "symlinked-parent",
            List.of(
                TestDebs.Entry.dir("./usr/"),
                TestDebs.Entry.symlink("./usr/lnk", outside.toString()),
                TestDebs.Entry.file("./usr/lnk/escaped", "x")),
            "bad-hardlink",
            List.of(TestDebs.Entry.hardlink("./usr/shadow", "./../../etc/shadow")));
    Map<String, String> expected =
        Map.of(
            "dotdot", "'./usr/../../escaped' contains '..'",
            "absolute", "'/etc/passwd-evil' is an absolute path",
            "symlinked-parent", "'./usr/lnk/escaped' lies under /usr/lnk, a symlink",
            "bad-hardlink", "'./../../etc/shadow' contains '..'");
    for (Map.Entry<String, List<TestDebs.Entry>> h : hostile.entrySet()) {
      Path deb = TestDebs.handMade(dir, "evil-" + h.getKey(), h.getValue());
      UnsafePackageException e =
          assertThrows(UnsafePackageException.class, () -> new DebUnpacker(cache).unpack(deb));
      assertTrue(
          e.getMessage().startsWith("package evil-" + h.getKey() + " 6.6.6: "), e.getMessage());
      assertTrue(e.getMessage().contains(expected.get(h.getKey())), e.getMessage());
    }
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(0, s.count(), "nothing was written outside");
    }
    try (Stream<Path> s = Files.list(cache.resolve("unpacked"))) {
      assertEquals(0, s.count(), "no partial unpack stays in the cache");
    }
  }

  @Test
  void truncatedDebIsAClearError(@TempDir Path cache) throws IOException {
    byte[] bytes = Files.readAllBytes(xzDeb);
    Path cut = cache.resolve("cut.deb");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> new DebUnpacker(cache).unpack(cut));
    assertTrue(e.getMessage().contains("cut.deb"), e.getMessage());
  }

  static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    return entries.stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
  }
}
