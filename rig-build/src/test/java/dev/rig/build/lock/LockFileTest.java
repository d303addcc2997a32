package dev.rig.build.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
  static final LockedRepository DEBIAN =
      new LockedRepository("http://127.0.0.1:1/debian", "bookworm", List.of("main"));
  static final PackageOrigin MAIN = new PackageOrigin(DEBIAN.uri(), "bookworm", "main");
  static final LockInput INPUT =
      new LockInput("amd64", List.of("tini", "curl=7.88.1-10"), List.of(DEBIAN), false, false);

  static LockedPackage pkg(String name) {
    return new LockedPackage(
        name, "1.0", "amd64", "pool/main/" + name + ".deb", 42, "ab".repeat(32), MAIN);
  }

  static ImageLock lock(List<LockedPackage> packages) {
    return new ImageLock(
        INPUT,
        packages,
        List.of(
            new LockedIndex(
                "http://127.0.0.1:1/debian/dists/bookworm/main/binary-amd64/Packages.xz",
                "cd".repeat(32))));
  }

  @Test
  void sameLockInAnyOrderWritesTheSameBytesAndReadsBack(@TempDir Path dir) throws IOException {
    LockFile a =
        LockFile.empty()
            .with("gpu", lock(List.of(pkg("tini"), pkg("curl"))))
            .with("base", lock(List.of()));
    LockFile b =
        LockFile.empty()
            .with("base", lock(List.of()))
            .with("gpu", lock(List.of(pkg("curl"), pkg("tini"))));
    assertEquals(a.toJson(), b.toJson());
    assertTrue(a.toJson().indexOf("\"base\"") < a.toJson().indexOf("\"gpu\""));
    assertFalse(a.toJson().contains("\r"));
    Path file = dir.resolve("rig.lock");
    a.write(file);
    b.write(file);
    assertEquals(a, LockFile.read(file));
    assertEquals(a.toJson(), Files.readString(file));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(file), s.toList(), "no temp file is left");
    }
    assertEquals("curl", LockFile.read(file).image("gpu").orElseThrow().packages().get(0).name());
  }

  @Test
  void buildToolsAreLockedBesideTheImageAndReadBack(@TempDir Path dir) throws IOException {
    LockFile withoutTools = LockFile.empty().with("gpu", lock(List.of(pkg("tini"))));
    assertFalse(withoutTools.toJson().contains("\"tools\""), "no tools: the lock reads as before");
    LockFile lock = withoutTools.withTools("gpu", lock(List.of(pkg("openjdk-21-jdk-headless"))));
    Path file = dir.resolve("rig.lock");
    lock.write(file);
    LockFile read = LockFile.read(file);
    assertEquals(lock, read);
    assertEquals(
        "openjdk-21-jdk-headless", read.tools("gpu").orElseThrow().packages().get(0).name());
    assertEquals("tini", read.image("gpu").orElseThrow().packages().get(0).name());
  }

  @Test
  void checkNamesWhatChanged() {
    LockFile file = LockFile.empty().with("gpu", lock(List.of(pkg("tini"))));
    assertTrue(file.check("gpu", INPUT).matches());
    assertTrue(
        file.check(
                "gpu",
                new LockInput(
                    "amd64", List.of("curl=7.88.1-10", "tini"), List.of(DEBIAN), false, false))
            .matches(),
        "request order does not matter");
    LockInput changed =
        new LockInput(
            "amd64",
            List.of("tini=0.19.0-1", "vim"),
            List.of(new LockedRepository(DEBIAN.uri(), "trixie", List.of("main"))),
            true,
            false);
    LockCheck check = file.check("gpu", changed);
    assertFalse(check.matches());
    assertEquals(
        List.of(
            "pin of tini changed from (none) to =0.19.0-1",
            "package added: vim",
            "package removed: curl",
            "repository added or changed: http://127.0.0.1:1/debian trixie main",
            "repository removed or changed: http://127.0.0.1:1/debian bookworm main",
            "installRecommends changed to true"),
        check.changes());
    assertTrue(check.message("gpu").contains("run `rig lock`"), check.message("gpu"));
    assertEquals(List.of("image other is not in rig.lock"), file.check("other", INPUT).changes());
  }

  @Test
  void unknownVersionOrBrokenJsonIsAClearError() {
    IOException v =
        assertThrows(
            IOException.class,
            () -> LockFile.parse("rig.lock", "{\"version\": 9, \"images\": {}}"));
    assertTrue(v.getMessage().contains("version 9 is not supported"), v.getMessage());
    IOException j =
        assertThrows(IOException.class, () -> LockFile.parse("rig.lock", "{\"version\": "));
    assertTrue(j.getMessage().startsWith("rig.lock: not a valid rig.lock"), j.getMessage());
  }

  /**
   * A lock entry that names a URL or a path out of its repository would make rig fetch from
   * wherever the lock says: refused on read, naming the image, the package and the fix.
   */
  @Test
  void aLockNamingAUrlOrAPathOutOfTheRepositoryIsRefused() {
    for (String bad :
        List.of(
            "http://127.0.0.1:9/evil.deb",
            "/etc/passwd",
            "pool/../../evil.deb",
            "file:/tmp/evil.deb",
            "pool\\evil.deb")) {
      LockedPackage p = pkg("curl");
      LockedPackage hostile =
          new LockedPackage(
              p.name(), p.version(), p.architecture(), bad, p.size(), p.sha256(), p.repository());
      String json = LockFile.empty().with("gpu", lock(List.of(hostile))).toJson();
      IOException e = assertThrows(IOException.class, () -> LockFile.parse("rig.lock", json));
      assertTrue(e.getMessage().startsWith("rig.lock: images.gpu: package curl"), e.getMessage());
      assertTrue(e.getMessage().contains("run `rig lock`"), e.getMessage());
    }
    assertTrue(LockFile.isRepositoryRelative("pool/main/c/curl/curl_8.14.1-2_amd64.deb"));
    assertTrue(LockFile.isRepositoryRelative("./cuda-cudart-12-8_12.8.57-1_amd64.deb"));
  }
}
