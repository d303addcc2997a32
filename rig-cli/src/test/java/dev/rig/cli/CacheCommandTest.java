package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig cache} and {@code rig cache gc} end to end on the smallest example: built, reported,
 * collected (an unused root and a dead build's leftover first, then everything under a zero cap),
 * and rebuilt to the same digest.
 */
class CacheCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void buildReportCollectToACapAndRebuild() throws Exception {
    Path cache = dir.resolve("cache");
    String digest = build(cache);

    JsonNode report = json(rig("cache", "--cache", cache.toString(), "--json"));
    assertEquals(1, report.path("images").size(), report.toPrettyString());
    JsonNode image = report.path("images").get(0);
    assertEquals("basic:latest", image.path("reference").asText());
    assertEquals(digest, image.path("digest").asText());
    assertTrue(image.path("bytes").asLong() > 0);
    assertEquals(0, report.path("reclaimable").path("unusedEntries").asInt());
    assertTrue(kind(report, "blobs").path("entries").asInt() >= 3, report.toPrettyString());

    // What no build used, and what a build that is gone left behind.
    Files.createDirectories(cache.resolve("rootfs/stale/usr"));
    Files.write(cache.resolve("rootfs/stale/usr/big"), new byte[1 << 20]);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path leftover = cache.resolve("blobs/sha256/.tmp-" + gone.pid() + "-x.part");
    Files.write(leftover, new byte[4096]);

    String text = rig("cache", "--cache", cache.toString());
    assertTrue(
        text.contains("reclaimable: 1.0 MiB (1 entry no recent build used, 1 leftover"), text);
    assertTrue(text.contains("basic:latest"), text);

    String kept =
        rig("cache", "gc", "--cache", cache.toString(), "--max-size", "10G", "--min-free", "0");
    assertTrue(kept.startsWith("removed 2 entries, 1.0 MiB freed on disk: cache "), kept);
    assertTrue(kept.contains("rootfs") && kept.contains("no recent build used it"), kept);
    assertTrue(kept.contains("left by an interrupted run"), kept);
    assertTrue(kept.contains("images kept (latest build of each):\n  basic:latest"), kept);
    assertFalse(Files.exists(cache.resolve("rootfs/stale")));
    assertFalse(Files.exists(leftover));

    JsonNode gc =
        json(
            rig(
                "cache",
                "gc",
                "--cache",
                cache.toString(),
                "--max-size",
                "0",
                "--min-free",
                "0",
                "--json"));
    assertEquals(0, gc.path("bytesAfter").asLong(), gc.toPrettyString());
    assertEquals("basic:latest", gc.path("evictedImages").get(0).path("reference").asText());
    assertTrue(gc.path("removed").size() >= 3, gc.toPrettyString());
    assertEquals(
        0,
        kind(json(rig("cache", "--cache", cache.toString(), "--json")), "blobs")
            .path("entries")
            .asInt());

    assertEquals(digest, build(cache), "rebuilt after the gc");
    assertEquals(
        digest,
        json(rig("cache", "--cache", cache.toString(), "--json"))
            .path("images")
            .get(0)
            .path("digest")
            .asText());
  }

  @Test
  void aSizeThatIsNoneIsRefusedWithTheFix() {
    RigRun run =
        RigRun.of(
            List.of("cache", "gc", "--cache", dir.resolve("c").toString(), "--max-size", "lots"));
    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.stderr()
            .contains(
                "--max-size 'lots' is not a size: write a number of bytes or one"
                    + " with K, M, G or T (e.g. 20G)"),
        run.describe());
  }

  private String build(Path cache) throws Exception {
    String out =
        rig(
            "build",
            "-f",
            Path.of("..", "examples", "basic", "rig.pkl").toString(),
            "--cache",
            cache.toString(),
            "--out",
            "oci:" + dir.resolve("out"),
            "--json");
    return json(out).path("images").get(0).path("digest").asText();
  }

  private static String rig(String... args) {
    return RigRun.of(new ArrayList<>(List.of(args))).ok().stdout();
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static JsonNode kind(JsonNode report, String name) {
    for (JsonNode kind : report.path("kinds")) {
      if (kind.path("kind").asText().equals(name)) {
        return kind;
      }
    }
    throw new AssertionError("no kind " + name + " in " + report.toPrettyString());
  }
}
