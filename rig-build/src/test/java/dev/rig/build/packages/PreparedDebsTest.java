package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebRepacker;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.lock.PackageOrigin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage's packages are decoded ahead of their stage, by the image's dpkg-deb (here: from a
 * root below that holds one), and an install that ends early leaves no decoder running and no
 * decoded file behind.
 */
class PreparedDebsTest {
  @TempDir static Path dir;
  static Path below;
  static Map<LockedPackage, Path> first = new LinkedHashMap<>();
  static Map<LockedPackage, Path> second = new LinkedHashMap<>();

  @BeforeAll
  static void rootAndPackages() throws IOException {
    below = HostDpkgRoot.make(dir.resolve("below"));
    put(first, HostDpkgRoot.deb(dir, "small", 1 << 20, "xz"));
    for (String name : List.of("large", "larger")) {
      put(second, HostDpkgRoot.deb(dir, name, 12 << 20, "xz"));
    }
  }

  private static void put(Map<LockedPackage, Path> stage, Path deb) throws IOException {
    String name = DebArchive.open(deb).packageName();
    LockedPackage p =
        new LockedPackage(
            name,
            "1.0",
            "all",
            "pool/" + name + ".deb",
            Files.size(deb),
            DebUnpacker.sha256(deb),
            new PackageOrigin("test:", "test", "main"));
    stage.put(p, deb);
  }

  private static DecoderRoot decoder(Path cache) throws IOException {
    Map<LockedPackage, Path> all = new LinkedHashMap<>(first);
    all.putAll(second);
    return DecoderRoot.of(cache, Optional.of(below), all, Map.of(), 0);
  }

  @Test
  void eachStagesPackagesAreTheBytesAnInProcessRepackGives(@TempDir Path cache) throws Exception {
    DecoderRoot decoder = decoder(cache);
    assertTrue(decoder.native_(), "the dpkg-deb of the root below decodes");
    Path dir;
    try (PreparedDebs prepared = PreparedDebs.start(cache, decoder, List.of(first, second))) {
      dir = prepared.dir();
      for (Map<LockedPackage, Path> stage : List.of(first, second)) {
        for (Map.Entry<LockedPackage, Path> p : stage.entrySet()) {
          RepackedDeb ahead = prepared.await(p.getKey());
          RepackedDeb here =
              new DebRepacker()
                  .repack(DebArchive.open(p.getValue()), cache.resolve(p.getKey().name()));
          assertEquals(-1, Files.mismatch(here.file(), ahead.file()), p.getKey().name());
          assertEquals(here.entries(), ahead.entries());
          prepared.release(p.getKey());
          assertFalse(Files.exists(ahead.file()), "released once its stage is installed");
        }
      }
    }
    assertFalse(Files.exists(dir), "the decoded files' directory is gone");
    assertEquals(List.of(), HostDpkgRoot.childrenLeft());
  }

  /**
   * A stage above the first waited for before its background decode started (here: at once, while
   * the first stage still decodes) is decoded on the main pool instead, to the same bytes; each
   * package once.
   */
  @Test
  void aStageWaitedForBeforeItsBackgroundDecodeIsDecodedOnEveryCore(@TempDir Path cache)
      throws Exception {
    try (PreparedDebs prepared =
        PreparedDebs.start(cache, decoder(cache), List.of(first, second))) {
      for (Map.Entry<LockedPackage, Path> p : second.entrySet()) {
        RepackedDeb ahead = prepared.await(p.getKey());
        RepackedDeb here =
            new DebRepacker()
                .repack(DebArchive.open(p.getValue()), cache.resolve(p.getKey().name()));
        assertEquals(-1, Files.mismatch(here.file(), ahead.file()), p.getKey().name());
      }
      for (LockedPackage p : first.keySet()) {
        assertTrue(Files.exists(prepared.await(p).file()));
      }
      try (Stream<Path> decoded = Files.list(prepared.dir())) {
        assertEquals(first.size() + second.size(), decoded.count(), "one file per package");
      }
      // The background thread starts one package at a time, after the first stage's: at least
      // one of the two was still waiting when the stage was asked for.
      assertTrue(prepared.promoted() >= second.size() - 1, "moved: " + prepared.promoted());
    }
    assertEquals(List.of(), HostDpkgRoot.childrenLeft());
  }

  /** A first stage that fails (here: its dpkg, in the install) while the next is being decoded. */
  @Test
  void closingWhileLaterStagesDecodeStopsThemAndLeavesNothing(@TempDir Path cache)
      throws Exception {
    Path dir;
    try (PreparedDebs prepared =
        PreparedDebs.start(cache, decoder(cache), List.of(first, second))) {
      dir = prepared.dir();
      // The first stage is ready; the second's decoders are (most likely) still at work.
      prepared.await(first.keySet().iterator().next());
    }
    assertEquals(List.of(), HostDpkgRoot.childrenLeft(), "no decoder is left running");
    assertFalse(Files.exists(dir), "no decoded file is left");
    try (Stream<Path> left = Files.list(cache)) {
      assertEquals(List.of(), left.toList(), "the cache holds nothing of the install");
    }
  }

  /** Without a dpkg in the lock or below, packages are decoded in this process, as before. */
  @Test
  void anInstallWithoutDpkgDecodesInThisProcess(@TempDir Path cache) throws Exception {
    DecoderRoot decoder = DecoderRoot.of(cache, Optional.empty(), first, Map.of(), 0);
    assertFalse(decoder.native_());
    try (PreparedDebs prepared = PreparedDebs.start(cache, decoder, List.of(first))) {
      LockedPackage p = first.keySet().iterator().next();
      UnpackedDeb unpacked =
          new DebUnpacker(cache.resolve("unpacked-test")).unpack(prepared.await(p).file());
      assertTrue(unpacked.entries().size() > 3, "a whole package: " + unpacked.entries());
    }
  }
}
