package dev.rig.oci.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ZstdStream} writes the same bytes as zstd-jni's {@code ZstdOutputStream} with rig's
 * settings, whatever the write sizes, whether the input comes as arrays or buffers, and however
 * often its pooled native context was used before. Layer digests depend on it.
 */
class ZstdStreamTest {
  private static final int LEVEL = PinnedCompressors.ZSTD_LEVEL;

  /** Compressible but not trivial, and larger than several multi-threaded zstd jobs. */
  private static byte[] sample(int size, long seed) {
    Random random = new Random(seed);
    String[] words = {"layer ", "cuda ", "driver ", "tensor ", "image ", "registry\n"};
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    while (out.size() < size) {
      out.writeBytes(words[random.nextInt(words.length)].getBytes());
      if (random.nextInt(8) == 0) {
        out.write(random.nextInt(256));
      }
    }
    return Arrays.copyOf(out.toByteArray(), size);
  }

  /** What rig wrote before: ZstdOutputStream, then flush (the tar's end) and close. */
  private static byte[] reference(byte[] data, int workers) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (ZstdOutputStream zstd = new ZstdOutputStream(sink)) {
      zstd.setLevel(LEVEL);
      zstd.setWorkers(workers);
      zstd.setChecksum(false);
      zstd.write(data, 0, Math.min(data.length, 512));
      if (data.length > 512) {
        zstd.write(data, 512, data.length - 512);
      }
      zstd.flush();
    }
    return sink.toByteArray();
  }

  /** Writes {@code data} in pieces of varying sizes, alternating arrays and direct buffers. */
  private static byte[] compress(byte[] data, int workers, boolean flush) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Random sizes = new Random(data.length);
    try (ZstdStream zstd = new ZstdStream(sink, LEVEL, workers)) {
      int at = 0;
      boolean direct = false;
      while (at < data.length) {
        int n = Math.min(data.length - at, 1 + sizes.nextInt(300_000));
        if (direct) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(n);
          buffer.put(data, at, n).flip();
          zstd.write(buffer);
          assertEquals(0, buffer.remaining());
        } else {
          zstd.write(data, at, n);
        }
        direct = !direct;
        at += n;
      }
      if (flush) {
        zstd.flush();
      }
    }
    return sink.toByteArray();
  }

  private static byte[] decompress(byte[] zst) throws IOException {
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(zst))) {
      return in.readAllBytes();
    }
  }

  @Test
  void sameBytesAsZstdOutputStream() throws IOException {
    for (int size : new int[] {1, 1024, 21_504, 20 << 20}) {
      byte[] data = sample(size, size);
      byte[] expected = reference(data, 2);
      assertArrayEquals(expected, compress(data, 2, true), "size " + size);
      assertArrayEquals(expected, compress(data, 1, true), "size " + size + ", one worker");
      assertArrayEquals(data, decompress(expected));
    }
  }

  @Test
  void aReusedContextGivesTheSameBytes() throws IOException {
    byte[] first = sample(3 << 20, 1);
    byte[] second = sample(5 << 20, 2);
    byte[] once = compress(first, 2, true);
    compress(second, 2, true);
    assertArrayEquals(once, compress(first, 2, true));
  }

  @Test
  void withoutFlushTheFrameStillDecompresses() throws IOException {
    byte[] data = sample(1 << 20, 3);
    assertArrayEquals(data, decompress(compress(data, 2, false)));
  }

  /** Not a layer (a tar is never empty), but still a valid frame. */
  @Test
  void nothingWrittenGivesAnEmptyFrame() throws IOException {
    assertEquals(0, decompress(compress(new byte[0], 2, true)).length);
  }

  @Test
  void theOutputIsClosedAndWritesAfterCloseFail() throws IOException {
    boolean[] closed = {false};
    OutputStream sink =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    ZstdStream zstd = new ZstdStream(sink, LEVEL, 2);
    zstd.write(1);
    zstd.close();
    zstd.close();
    assertEquals(true, closed[0]);
    assertThrows(IOException.class, () -> zstd.write(1));
  }
}
