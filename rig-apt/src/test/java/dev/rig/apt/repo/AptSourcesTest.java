package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.ControlFileException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptSourcesTest {
  @Test
  void parsesOneLineFormat() {
    List<SourceEntry> entries =
        AptSources.parseList(
            "sources.list",
            """
            # a comment
            deb [arch=amd64 signed-by=/k.gpg] http://mirror.example.invalid/debian trixie main non-free
            deb-src http://mirror.example.invalid/debian trixie main  # trailing comment

            deb http://mirror.example.invalid/flat ./
            """);
    assertEquals(3, entries.size());
    SourceEntry first = entries.get(0);
    assertEquals("deb", first.type());
    assertEquals(URI.create("http://mirror.example.invalid/debian"), first.uri());
    assertEquals("trixie", first.suite());
    assertEquals(List.of("main", "non-free"), first.components());
    assertEquals(Optional.of("/k.gpg"), first.signedBy());
    assertEquals(Map.of("arch", "amd64"), first.options());
    assertEquals("deb-src", entries.get(1).type());
    assertEquals(List.of(), entries.get(2).components());
    ControlFileException bad =
        assertThrows(
            ControlFileException.class, () -> AptSources.parseList("x.list", "\ndeb http://a\n"));
    assertTrue(bad.getMessage().startsWith("x.list:2:"), bad.getMessage());
  }

  @Test
  void parsesDeb822Format() {
    List<SourceEntry> entries =
        AptSources.parseDeb822(
            "d.sources",
            """
            Types: deb deb-src
            # a comment inside the stanza
            URIs: http://mirror.example.invalid/debian
            Suites: bookworm bookworm-updates
            Components: main contrib
            Signed-By: /usr/share/keyrings/some.gpg

            Enabled: no
            Types: deb
            URIs: http://disabled.example.invalid/
            Suites: x
            Components: main
            """);
    assertEquals(4, entries.size());
    assertEquals("bookworm-updates", entries.get(1).suite());
    assertEquals("deb-src", entries.get(2).type());
    assertEquals(List.of("main", "contrib"), entries.get(3).components());
    assertEquals(Optional.of("/usr/share/keyrings/some.gpg"), entries.get(0).signedBy());
  }

  @Test
  void readsADirectoryLikeEtcApt(@TempDir Path etc) throws IOException {
    Files.createDirectories(etc.resolve("sources.list.d"));
    Files.writeString(etc.resolve("sources.list"), "deb file:/srv/a s1 main\n");
    Files.writeString(
        etc.resolve("sources.list.d/b.sources"),
        "Types: deb\nURIs: file:/srv/b\nSuites: s2\nComponents: main\n");
    Files.writeString(etc.resolve("sources.list.d/c.list.disabled"), "deb file:/srv/c s3 main\n");
    List<SourceEntry> entries = AptSources.readSystem(etc);
    assertEquals(List.of("s1", "s2"), entries.stream().map(SourceEntry::suite).toList());
    assertTrue(Fetchers.forUri(entries.get(1).uri()) instanceof DirectoryFetcher);
    assertFalse(entries.get(0).signedBy().isPresent());
    SignatureException unsigned =
        assertThrows(SignatureException.class, () -> Fetchers.keyring(entries.get(0)));
    assertTrue(unsigned.getMessage().contains("no Signed-By"), unsigned.getMessage());
  }
}
