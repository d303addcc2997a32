package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One spec built in two directories, at different times, with a cold and a warm cache, gives one
 * manifest digest; and that digest is pinned, so an accidental change to the image format fails
 * here first.
 */
class ReproducibleBuildTest {
  /**
   * The manifest digest of the fixture below. If a deliberate format change moves it, update it and
   * say why in the commit message.
   */
  static final String PINNED_DIGEST =
      "sha256:daf581d128443f500dbb5f9f5dd87eca65439a2d85f498ffcd0efc2207ff3103";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Writes the fixture project; {@code mtime} lets each copy have different host times. */
  private static Path fixture(Path project, Instant mtime) throws IOException {
    Files.createDirectories(project.resolve("files/etc/app"));
    Files.createDirectories(project.resolve("files/usr/bin"));
    Files.writeString(project.resolve("files/etc/app/app.conf"), "answer = 42\n");
    Path tool = project.resolve("files/usr/bin/tool");
    Files.writeString(tool, "#!/bin/sh\necho tool\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(project.resolve("files/usr/bin/tool-link"), Path.of("tool"));
    Files.writeString(project.resolve("motd"), "welcome\n");
    Path spec = project.resolve("rig.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "images:",
            "  fixture:",
            "    tag: \"7\"",
            "    extraEnv: { FIXTURE: \"yes\" }",
            "    cmd: [/usr/bin/tool]",
            "    copyToRoot:",
            "      - { source: files, target: / }",
            "      - { source: motd, target: /etc/motd, mode: \"0644\", uid: 0, gid: 0 }",
            ""));
    try (var paths = Files.walk(project)) {
      for (Path path : paths.toList()) {
        if (Files.isSymbolicLink(path)) {
          continue;
        }
        // Modes are set explicitly so that the host's umask cannot change the fixture.
        if (Files.isDirectory(path)) {
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (!path.equals(tool)) {
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setLastModifiedTime(path, FileTime.from(mtime));
      }
    }
    return spec;
  }

  private static JsonNode build(Path spec, Path cache, Path out) throws IOException {
    RigRun run =
        RigRun.withCache(
                cache, List.of("build", "-f", spec.toString(), "--json", "--out", "oci:" + out))
            .ok();
    return JSON.readTree(run.stdout()).get("images").get(0);
  }

  @Test
  void sameDigestAcrossDirectoriesTimesAndCacheStates() throws IOException {
    Path first = fixture(dir.resolve("a/project"), Instant.parse("2020-01-01T00:00:00Z"));
    Path second = fixture(dir.resolve("b/elsewhere"), Instant.parse("2024-06-30T12:34:56Z"));
    Path cache = dir.resolve("cache");

    JsonNode cold = build(first, cache, dir.resolve("out1"));
    JsonNode warm = build(first, cache, dir.resolve("out2"));
    JsonNode otherDirColdCache = build(second, dir.resolve("cache2"), dir.resolve("out3"));
    JsonNode otherDirWarmCache = build(second, cache, dir.resolve("out4"));

    String digest = cold.get("digest").asText();
    assertEquals(digest, warm.get("digest").asText());
    assertEquals(digest, otherDirColdCache.get("digest").asText());
    assertEquals(digest, otherDirWarmCache.get("digest").asText());
    assertEquals(PINNED_DIGEST, digest, "the fixture's pinned digest changed");
  }

  @Test
  void aRebuildWithNothingChangedDoesNoTarOrCompressionWork() throws IOException {
    Path spec = fixture(dir.resolve("p"), Instant.parse("2021-01-01T00:00:00Z"));
    Path cache = dir.resolve("cache");
    JsonNode cold = build(spec, cache, dir.resolve("out1"));
    assertEquals(0, cold.at("/layers/reused").asInt(), cold.toString());
    assertEquals(3, cold.at("/layers/built").asInt(), cold.toString());

    JsonNode warm = build(spec, cache, dir.resolve("out2"));
    assertEquals(3, warm.at("/layers/reused").asInt(), warm.toString());
    assertEquals(0, warm.at("/layers/built").asInt(), warm.toString());

    // Touching one source file changes nothing in the image; only that layer is looked at again.
    Files.setLastModifiedTime(
        spec.resolveSibling("motd"), FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
    JsonNode touched = build(spec, cache, dir.resolve("out3"));
    assertEquals(cold.get("digest").asText(), touched.get("digest").asText());
  }
}
