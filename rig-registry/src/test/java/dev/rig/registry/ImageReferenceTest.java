package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.registry.model.ImageReference;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String HEX = "a".repeat(64);

  @Test
  void dockerHubDefaults() {
    ImageReference r = ImageReference.parse("debian");
    assertEquals("docker.io", r.registry());
    assertEquals("library/debian", r.repository());
    assertEquals(Optional.of("latest"), r.tag());
    assertEquals("registry-1.docker.io", r.apiHost());
    assertEquals("docker.io/library/debian:latest", r.toString());

    ImageReference user = ImageReference.parse("someone/tool:1.2");
    assertEquals("docker.io", user.registry());
    assertEquals("someone/tool", user.repository());
    assertEquals("docker.io", ImageReference.parse("index.docker.io/library/debian").registry());
  }

  @Test
  void aDefaultTagAppliesOnlyWhenNeitherTagNorDigestIsWritten() {
    assertEquals(Optional.of("1.0"), ImageReference.parse("127.0.0.1:5000/x/app", "1.0").tag());
    assertEquals(Optional.of("v2"), ImageReference.parse("127.0.0.1:5000/x/app:v2", "1.0").tag());
    assertEquals(
        Optional.empty(), ImageReference.parse("127.0.0.1:5000/x/app@sha256:" + HEX, "1.0").tag());
  }

  @Test
  void hostsPortsAndDigests() {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/team/app:v1@sha256:" + HEX);
    assertEquals("127.0.0.1:5000", r.registry());
    assertEquals("team/app", r.repository());
    assertEquals(Optional.of("v1"), r.tag());
    assertEquals("sha256:" + HEX, r.manifestReference());
    assertTrue(r.isLoopback());

    ImageReference local = ImageReference.parse("localhost/app");
    assertEquals("localhost", local.registry());
    assertEquals("app", local.repository());
    assertTrue(local.isLoopback());

    ImageReference pinned = ImageReference.parse("ghcr.io/org/img@sha256:" + HEX);
    assertTrue(pinned.tag().isEmpty());
    assertFalse(pinned.isLoopback());
    assertEquals("ghcr.io/org/img@sha256:" + HEX, pinned.toString());

    assertEquals("[::1]:5000", ImageReference.parse("[::1]:5000/x").registry());
    assertTrue(ImageReference.parse("[::1]:5000/x").isLoopback());
    assertEquals(
        "registry.example.com:443",
        ImageReference.parse("registry.example.com:443/a/b/c:t").registry());
  }

  @Test
  void clearErrors() {
    IllegalArgumentException upper =
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("Foo/Bar"));
    assertTrue(upper.getMessage().contains("'Foo'"), upper.getMessage());
    assertTrue(upper.getMessage().contains("[HOST[:PORT]/]PATH"), upper.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(""));
    IllegalArgumentException digest =
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("a@sha256:xyz"));
    assertTrue(digest.getMessage().contains("digest"), digest.getMessage());
    IllegalArgumentException tag =
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("a:-bad"));
    assertTrue(tag.getMessage().contains("tag"), tag.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("host:5000/"));
  }
}
