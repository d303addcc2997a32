package dev.rig.oci.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void formatsAndParses() {
    Digest digest = Digest.of(new byte[0]);
    assertEquals(EMPTY, digest.toString());
    assertEquals(digest, Digest.parse(EMPTY));
    assertEquals("sha256", digest.algorithm());
  }

  @Test
  void rejectsMalformedDigests() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("e3b0c442"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "a".repeat(63)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
  }

  @Test
  void hashesWhileWriting() throws IOException {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (DigestingOutputStream out = new DigestingOutputStream(sink)) {
      out.write(data, 0, 2);
      out.write(data[2]);
      out.write(data, 3, 2);
      assertEquals(5, out.count());
      assertEquals(Digest.of(data), out.digest());
    }
    assertEquals("hello", sink.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hashesBuffersLikeArrays() throws IOException {
    byte[] data = new byte[200_000];
    new java.util.Random(7).nextBytes(data);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (DigestingOutputStream out = new DigestingOutputStream(sink)) {
      out.write(data, 0, 10);
      ByteBuffer direct = ByteBuffer.allocateDirect(100_000);
      direct.put(data, 10, 100_000).flip();
      out.write(direct);
      assertEquals(0, direct.remaining());
      out.write(ByteBuffer.wrap(data, 100_010, data.length - 100_010));
      assertEquals(data.length, out.count());
      assertEquals(Digest.of(data), out.digest());
    }
    assertArrayEquals(data, sink.toByteArray());
  }
}
