package dev.rig.oci.compress;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * One gzip member written by several threads, the way pigz does it: the input is cut into blocks of
 * {@link #BLOCK} bytes, each block is deflated on its own (primed with the last 32 KiB of the block
 * before it as dictionary) and ended with a sync flush, so the pieces join into one valid deflate
 * stream. The output depends only on the input and the pinned settings, never on how many threads
 * ran or in which order they finished.
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
      out.write(await(inFlight.poll()));
    }
  }

  static byte[] deflate(byte[] input, int length, byte[] dictionary, boolean last)
      throws GZIPException {
    Deflater deflater = new Deflater(PinnedCompressors.GZIP_LEVEL, 15, 8, JZlib.WrapperType.NONE);
    if (dictionary.length > 0) {
      deflater.setDictionary(dictionary, dictionary.length);
    }
    deflater.setInput(input, 0, length, false);
    byte[] buffer = new byte[length + length / 8 + 1024];
    int produced = 0;
    int flush = last ? JZlib.Z_FINISH : JZlib.Z_SYNC_FLUSH;
    while (true) {
      if (produced == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      deflater.setOutput(buffer, produced, buffer.length - produced);
      int status = deflater.deflate(flush);
      produced = buffer.length - deflater.getAvailOut();
      if (status == JZlib.Z_STREAM_END) {
        break;
      }
      if (status != JZlib.Z_OK && status != JZlib.Z_BUF_ERROR) {
        throw new GZIPException("deflate failed: " + status);
      }
      if (!last && deflater.getAvailIn() == 0 && deflater.getAvailOut() > 0) {
        break;
      }
    }
    deflater.end();
    return Arrays.copyOf(buffer, produced);
  }

  private static byte[] await(Future<byte[]> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed", e.getCause());
    }
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
        out.write(await(inFlight.poll()));
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
