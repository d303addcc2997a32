package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifies the real Debian InRelease of this machine's configured mirror with the real archive
 * keyring: several signatures, RSA and subkeys, a large clearsigned text. The mirror comes from
 * /etc/apt at test time; no host name is written here.
 */
class DebianArchiveTest {
  @Test
  void verifiesTheConfiguredMirrorsInRelease() throws IOException {
    List<SourceEntry> entries =
        AptSources.readSystem(Path.of("/etc/apt")).stream()
            .filter(e -> e.type().equals("deb") && e.signedBy().isPresent())
            .filter(e -> e.uri().getScheme().startsWith("http"))
            .toList();
    assertFalse(entries.isEmpty(), "no signed http(s) deb source in /etc/apt to test against");
    SourceEntry entry = entries.get(0);
    ReleaseFile release = Fetchers.reader(entry).release();
    assertTrue(
        release.suite().orElseThrow().equals(entry.suite())
            || release.codename().orElseThrow().equals(entry.suite()),
        release.suite() + " " + release.codename());
    assertTrue(release.architectures().contains("amd64"), release.architectures().toString());
    assertTrue(release.components().contains("main"));
    assertTrue(release.entry("main/binary-amd64/Packages.xz").isPresent());
    assertEquals(
        64, release.entry("main/binary-amd64/Packages.xz").orElseThrow().sha256().length());
  }
}
