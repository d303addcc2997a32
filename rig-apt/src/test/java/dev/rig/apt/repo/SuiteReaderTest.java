package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.testrepo.Fixtures;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteReaderTest {
  @TempDir static Path dir;
  static HermeticRepo repo;

  @BeforeAll
  static void buildRepo() throws IOException {
    repo = HermeticRepo.build(dir, "rigtest", Fixtures.DEBS);
  }

  @Test
  void acceptsTheRightKeyAndReadsVerifiedPackages() throws IOException {
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(repo.root()), "rigtest", Keyring.read(repo.keyring()));
    ReleaseFile release = reader.release();
    assertEquals("rigtest", release.suite().orElseThrow());
    assertEquals("rigtest", release.codename().orElseThrow());
    assertEquals(List.of("amd64"), release.architectures());
    assertEquals(List.of("main"), release.components());
    assertTrue(
        release.entry("main/binary-amd64/Packages.xz").isPresent(), release.files().toString());
    List<PackageRecord> packages = reader.packages(release, "main", "amd64");
    assertEquals(Fixtures.DEBS.size(), packages.size());
    PackageRecord base =
        packages.stream().filter(p -> p.name().equals("base-lib")).findFirst().orElseThrow();
    assertEquals("base", base.source());
    assertEquals("2.0-7", base.sourceVersion().toString());
    assertTrue(base.filename().startsWith("pool/main/base-lib_2.0_amd64.deb"));
    assertEquals(64, base.sha256().length());
    byte[] deb = Files.readAllBytes(repo.root().resolve(base.filename()));
    assertEquals(base.size(), deb.length);
    assertEquals(base.sha256(), IndexFiles.sha256(deb));
  }

  @Test
  void acceptsAnArmoredKey() throws IOException {
    SuiteReader reader =
        new SuiteReader(
            new DirectoryFetcher(repo.root()), "rigtest", Keyring.read(repo.armoredKey()));
    assertEquals(Fixtures.DEBS.size(), reader.packages(reader.release(), "main", "amd64").size());
  }

  @Test
  void refusesAWrongKeyNamingFileAndKeys() throws IOException {
    Keyring right = Keyring.read(repo.keyring());
    Keyring wrong = Keyring.read(repo.wrongKeyring());
    SuiteReader reader = new SuiteReader(new DirectoryFetcher(repo.root()), "rigtest", wrong);
    SignatureException e = assertThrows(SignatureException.class, reader::release);
    assertTrue(e.getMessage().contains("dists/rigtest/InRelease"), e.getMessage());
    assertTrue(e.getMessage().contains("NO_PUBKEY"), e.getMessage());
    // The signer is the right key's primary key (ed25519 "sign" keys have no subkey).
    assertTrue(e.getMessage().contains(right.keyIds().get(0)), e.getMessage());
    assertTrue(e.getMessage().contains(wrong.keyIds().get(0)), e.getMessage());
  }

  @Test
  void refusesTamperedInRelease(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    Path inRelease = root.resolve("dists/rigtest/InRelease");
    String text = Files.readString(inRelease);
    Files.writeString(inRelease, text.replace("Suite: rigtest", "Suite: rigtesx"));
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    SignatureException e = assertThrows(SignatureException.class, reader::release);
    assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
    assertTrue(e.getMessage().contains("InRelease"), e.getMessage());
  }

  @Test
  void ignoresTrailingBlanksLikeGpgButNotContent(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    Path inRelease = root.resolve("dists/rigtest/InRelease");
    // RFC 4880 cleartext: trailing blanks are not signed, so adding them keeps the signature good.
    Files.writeString(
        inRelease, Files.readString(inRelease).replace("Suite: rigtest\n", "Suite: rigtest  \n"));
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    assertEquals("rigtest", reader.release().suite().orElseThrow());
  }

  @Test
  void refusesTamperedPackagesIndex(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    Path gz = root.resolve("dists/rigtest/main/binary-amd64/Packages.gz");
    byte[] bytes = Files.readAllBytes(gz);
    bytes[bytes.length / 2] ^= 1;
    Files.write(gz, bytes);
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    ReleaseFile release = reader.release();
    SignatureException e =
        assertThrows(SignatureException.class, () -> reader.packages(release, "main", "amd64"));
    assertTrue(e.getMessage().contains("main/binary-amd64/Packages.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("SHA256"), e.getMessage());
  }

  /** The gzip form is read where the Release file lists it (it inflates fastest), else xz. */
  @Test
  void readsTheGzipIndexWhereListedAndXzOtherwise(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    SuiteReader.Index both = reader.index(reader.release(), "main", "amd64");
    assertTrue(both.url().endsWith("main/binary-amd64/Packages.gz"), both.url());
    Files.delete(root.resolve("dists/rigtest/main/binary-amd64/Packages.gz"));
    SuiteReader.Index xz =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()))
            .index(reader.release(), "main", "amd64");
    assertTrue(xz.url().endsWith("main/binary-amd64/Packages.xz"), xz.url());
    assertEquals(both.packages(), xz.packages());
  }

  @Test
  void refusesAnIndexOfAnotherSize(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    Files.delete(root.resolve("dists/rigtest/main/binary-amd64/Packages.xz"));
    Files.delete(root.resolve("dists/rigtest/main/binary-amd64/Packages.gz"));
    Path plain = root.resolve("dists/rigtest/main/binary-amd64/Packages");
    Files.writeString(
        plain, Files.readString(plain) + "\nPackage: evil\nVersion: 1\nArchitecture: all\n");
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    ReleaseFile release = reader.release();
    SignatureException e =
        assertThrows(SignatureException.class, () -> reader.packages(release, "main", "amd64"));
    assertTrue(e.getMessage().contains("main/binary-amd64/Packages: size"), e.getMessage());
  }

  @Test
  void fallsBackToDetachedReleaseSignature(@TempDir Path copy) throws IOException {
    Path root = copyRepo(copy);
    Files.delete(root.resolve("dists/rigtest/InRelease"));
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(root), "rigtest", Keyring.read(repo.keyring()));
    assertEquals(Fixtures.DEBS.size(), reader.packages(reader.release(), "main", "amd64").size());

    Path release = root.resolve("dists/rigtest/Release");
    Files.writeString(release, Files.readString(release).replace("rigtest", "rigtesx"));
    SignatureException e = assertThrows(SignatureException.class, reader::release);
    assertTrue(e.getMessage().contains("dists/rigtest/Release"), e.getMessage());
    assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());

    Files.delete(root.resolve("dists/rigtest/Release.gpg"));
    SignatureException unsigned = assertThrows(SignatureException.class, reader::release);
    assertTrue(unsigned.getMessage().contains("unsigned"), unsigned.getMessage());
  }

  @Test
  void readsTheSameRepositoryOverHttp() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assertTrue(Files.isExecutable(python), "/usr/bin/python3 is required (Debian package python3)");
    Tools.require("python3", "python3");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                python.toString(), "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1")
            .directory(repo.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("http.log").toFile())
            .start();
    try {
      HttpFetcher fetcher = HttpFetcher.of(URI.create("http://127.0.0.1:" + port + "/"));
      waitUntilServing(fetcher);
      SuiteReader reader = new SuiteReader(fetcher, "rigtest", Keyring.read(repo.keyring()));
      assertEquals(Fixtures.DEBS.size(), reader.packages(reader.release(), "main", "amd64").size());
      assertFalse(fetcher.fetch("dists/rigtest/nothing-here").isPresent());
      SuiteReader wrong = new SuiteReader(fetcher, "rigtest", Keyring.read(repo.wrongKeyring()));
      assertThrows(SignatureException.class, wrong::release);
    } finally {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void waitUntilServing(HttpFetcher fetcher) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try {
        fetcher.fetch("dists/rigtest/Release");
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("python http.server did not start on " + fetcher.describe());
  }

  private static Path copyRepo(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(repo.root())) {
      for (Path p : files.toList()) {
        Path t = target.resolve(repo.root().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  @Test
  void keyringRejectsGarbage() {
    SignatureException e =
        assertThrows(
            SignatureException.class,
            () -> Keyring.parse("junk.gpg", "not a key".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("junk.gpg"), e.getMessage());
  }
}
