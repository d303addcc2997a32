package dev.rig.oci.compress;

import dev.rig.oci.io.Tasks;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * One gzip member written by several threads, the way pigz does it: the input is cut into blocks of
 * {@link #BLOCK} bytes, each block is deflated on its own by {@link BlockDeflater} (primed with the
 * last 32 KiB of the block before it as dictionary) and ended with a sync flush, so the pieces join
 * into one valid deflate stream. The output depends only on the input and the pinned settings,
 * never on how many threads ran or in which order they finished.
 */
final class ParallelGzipOutputStream extends OutputStream {
  /** Block size: large enough that the flush markers cost nothing, small enough to spread work. */
  static final int BLOCK = 1 << 20;

  private static final int DICTIONARY = 32 * 1024;

  /** Fixed header: deflate, no name, mtime 0, no extra flags, OS = Unix. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

  private final OutputStream out;
  private final ExecutorService pool;
  private final int maxInFlight;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private byte[] previousTail = new byte[0];
  private long total;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out, ExecutorService pool, int threads) throws IOException {
    this.out = out;
    this.pool = pool;
    this.maxInFlight = Math.max(2, threads * 2);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (filled == BLOCK) {
        submit(false);
      }
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Hands the current block to the pool; the last block is finished, the others sync-flushed. */
  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int length = filled;
    byte[] dictionary = previousTail;
    crc.update(input, 0, length);
    total += length;
    previousTail = Arrays.copyOfRange(input, Math.max(0, length - DICTIONARY), length);
    inFlight.add(pool.submit(() -> deflate(input, length, dictionary, last)));
    block = new byte[BLOCK];
    filled = 0;
    while (inFlight.size() >= maxInFlight) {
      out.write(Tasks.await(inFlight.poll(), "compressing with gzip"));
    }
  }

  /** One deflater per pool thread: its tables (about 10 MB) are reused from block to block. */
  private static final ThreadLocal<BlockDeflater> DEFLATERS =
      ThreadLocal.withInitial(() -> new BlockDeflater(BlockDeflater.Settings.PINNED));

  static byte[] deflate(byte[] input, int length, byte[] dictionary, boolean last) {
    return DEFLATERS.get().deflate(input, length, dictionary, last);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        out.write(Tasks.await(inFlight.poll(), "compressing with gzip"));
      }
      long value = crc.getValue();
      out.write(
          new byte[] {
            (byte) value,
            (byte) (value >>> 8),
            (byte) (value >>> 16),
            (byte) (value >>> 24),
            (byte) total,
            (byte) (total >>> 8),
            (byte) (total >>> 16),
            (byte) (total >>> 24)
          });
    } finally {
      inFlight.forEach(f -> f.cancel(true));
      out.close();
    }
  }
}
