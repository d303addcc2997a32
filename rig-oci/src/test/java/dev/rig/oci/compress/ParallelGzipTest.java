package dev.rig.oci.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel compression: block gzip is valid for gzip readers, and gzip and zstd give the same bytes
 * whatever the thread count.
 */
class ParallelGzipTest {
  @TempDir Path dir;

  /** Compressible but not trivial: words from a small vocabulary with random bytes between. */
  private static byte[] sample(int size) {
    Random random = new Random(42);
    String[] words = {"layer ", "cuda ", "driver ", "tensor ", "image ", "registry\n"};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < size) {
      out.writeBytes(words[random.nextInt(words.length)].getBytes());
      if (random.nextInt(8) == 0) {
        out.write(random.nextInt(256));
      }
    }
    byte[] bytes = out.toByteArray();
    return java.util.Arrays.copyOf(bytes, size);
  }

  private static byte[] compress(byte[] input, int threads, int chunk) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, pool, threads)) {
        for (int off = 0; off < input.length; off += chunk) {
          gzip.write(input, off, Math.min(chunk, input.length - off));
        }
      }
      return out.toByteArray();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theOutputDoesNotDependOnThreadsOrWriteSizes() throws IOException {
    byte[] input = sample(5 * ParallelGzipOutputStream.BLOCK + 12345);
    byte[] one = compress(input, 1, 100_000);
    assertArrayEquals(one, compress(input, 4, 7));
    assertArrayEquals(one, compress(input, 2, ParallelGzipOutputStream.BLOCK));
  }

  /**
   * The gzip bytes are part of rig's output format: layer digests, and so image digests, must be
   * the same from any host and any rig build with this {@link Compression#cacheKey()}. If this
   * fails on purpose (a setting or the deflater changed), change the cache key with it.
   */
  @Test
  void theGzipFormatIsPinned() throws IOException {
    byte[] compressed = compress(sample(3 * ParallelGzipOutputStream.BLOCK + 7), 2, 65536);
    assertEquals("gzip-rig2", Compression.GZIP.cacheKey());
    assertEquals(
        "sha256:631b83f14fb491575c06bc521deb2f0f428c1e7af1c7de89ce72f39786982028",
        dev.rig.oci.digest.Digest.of(compressed).toString());
    // Text between stretches of noise: the runs of literals that are searched sparsely.
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    Random random = new Random(7);
    for (int part = 0; part < 6; part++) {
      byte[] noise = new byte[300_000 + random.nextInt(100_000)];
      random.nextBytes(noise);
      mixed.writeBytes(noise);
      mixed.writeBytes(sample(200_000 + part));
    }
    assertEquals(
        "sha256:194335762e5769c67a90f1e1e4cdaf9cdd38b6590636933874bf9dddb67ab351",
        dev.rig.oci.digest.Digest.of(compress(mixed.toByteArray(), 2, 65536)).toString());
  }

  /**
   * A narrow pool (layers compressed beside dpkg) gives the shared pool's bytes, also when it is
   * widened halfway through a stream, for gzip and zstd.
   */
  @Test
  void aNarrowPoolWidenedMidStreamGivesTheSharedPoolsBytes() throws IOException {
    byte[] input = sample(4 * ParallelGzipOutputStream.BLOCK + 999);
    for (Compression compression : List.of(Compression.GZIP, Compression.ZSTD)) {
      ByteArrayOutputStream shared = new ByteArrayOutputStream();
      try (var out = compression.compress(shared)) {
        out.write(input);
      }
      ByteArrayOutputStream narrow = new ByteArrayOutputStream();
      try (CompressorPool pool = CompressorPool.narrow("test-narrow", 1)) {
        assertEquals(1, pool.threads());
        try (var out = compression.compress(narrow, pool)) {
          out.write(input, 0, input.length / 2);
          pool.widen();
          out.write(input, input.length / 2, input.length - input.length / 2);
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), pool.threads());
      }
      assertArrayEquals(shared.toByteArray(), narrow.toByteArray(), compression.id());
    }
  }

  /** rig relies on this to use every core for zstd and still get one digest on every machine. */
  @Test
  void zstdMultiThreadedOutputDoesNotDependOnTheWorkerCount() throws IOException {
    byte[] input = sample(6 * 1024 * 1024);
    byte[] one = zstd(input, 1);
    assertArrayEquals(one, zstd(input, 2));
    assertArrayEquals(one, zstd(input, 5));
  }

  private static byte[] zstd(byte[] input, int workers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (com.github.luben.zstd.ZstdOutputStream z =
        new com.github.luben.zstd.ZstdOutputStream(out)) {
      z.setLevel(PinnedCompressors.ZSTD_LEVEL);
      z.setWorkers(workers);
      z.setChecksum(false);
      z.write(input);
    }
    return out.toByteArray();
  }

  @Test
  void javaAndTheGzipCommandReadItBack() throws IOException {
    Tools.require("gzip", "gzip");
    for (int size : new int[] {0, 1, ParallelGzipOutputStream.BLOCK, 3 * 1024 * 1024 + 7}) {
      byte[] input = sample(size);
      byte[] compressed = compress(input, 2, 65536);
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
        assertArrayEquals(input, in.readAllBytes(), "size " + size);
      }
      Path file = dir.resolve("layer-" + size + ".gz");
      Files.write(file, compressed);
      Exec.run(List.of("gzip", "-t", file.toString())).ok();
      Exec.Result listed = Exec.run(List.of("gzip", "-l", file.toString())).ok();
      assertEquals(
          String.valueOf(size), listed.stdout().lines().toList().get(1).trim().split("\\s+")[1]);
    }
  }
}
