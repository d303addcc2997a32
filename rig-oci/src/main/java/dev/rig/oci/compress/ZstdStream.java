package dev.rig.oci.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.rig.oci.digest.ByteBufferOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A zstd stream whose native context is reused from layer to layer. A fresh multi-threaded context
 * maps and faults in tens of MiB of tables and job buffers and starts its worker threads; doing
 * that once per layer cost about 12 ms of system time each, a third of a second on a 27-layer
 * image. Here contexts wait in a small pool (at most one per layer built at the same time).
 *
 * <p>The bytes are exactly those of zstd-jni's {@code ZstdOutputStream} with the same settings: the
 * same frame parameters, input given with {@code ZSTD_e_continue}, {@link #flush()} as {@code
 * ZSTD_e_flush} and {@link #close()} as {@code ZSTD_e_end}; zstd's multi-threaded format cuts jobs
 * by size, not by how the input was split into calls. As there, the call sequence matters: a first
 * call that ends the frame makes zstd take the input size as known (and work single-threaded), so
 * input is always handed over before the frame is ended.
 */
final class ZstdStream extends OutputStream implements ByteBufferOutput {
  /**
   * Input and output chunks: zstd's own block size. Larger chunks would have left the CPU caches by
   * the time zstd reads what was just put in them.
   */
  private static final int BUFFER = 128 * 1024;

  private static final ConcurrentLinkedDeque<Context> IDLE = new ConcurrentLinkedDeque<>();

  private final OutputStream out;
  private final int level;
  private final int workers;
  private Context context;
  private boolean started;
  private boolean closed;

  ZstdStream(OutputStream out, int level, int workers) {
    this.out = out;
    this.level = level;
    this.workers = workers;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return;
    }
    Context c = context();
    started = true;
    while (len > 0) {
      int n = Math.min(len, c.in.remaining());
      c.in.put(b, off, n);
      off += n;
      len -= n;
      if (!c.in.hasRemaining()) {
        consumeInput(c);
      }
    }
  }

  /** Compresses straight from a direct buffer (one read from a file); copies any other. */
  @Override
  public void write(ByteBuffer src) throws IOException {
    ensureOpen();
    if (!src.hasRemaining()) {
      return;
    }
    Context c = context();
    started = true;
    if (!src.isDirect()) {
      while (src.hasRemaining()) {
        int n = Math.min(src.remaining(), c.in.remaining());
        c.in.put(src.slice(src.position(), n));
        src.position(src.position() + n);
        if (!c.in.hasRemaining()) {
          consumeInput(c);
        }
      }
      return;
    }
    // What was buffered before comes first; zstd copies the input into its own job buffers, so
    // src is free again when this returns.
    consumeInput(c);
    while (src.hasRemaining()) {
      compress(c, src, EndDirective.CONTINUE);
      drain(c);
    }
  }

  /**
   * Ends the current zstd block so that everything written so far can be decompressed. Before the
   * first write it does nothing, like ZstdOutputStream.
   */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    if (started) {
      finish(context, EndDirective.FLUSH);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Context c = context();
    context = null;
    boolean reusable = false;
    try {
      // With no input at all this frame declares its size (0), where ZstdOutputStream's does not;
      // layers never meet the difference, as a tar is at least its two end blocks.
      finish(c, EndDirective.END);
      reusable = true;
      out.close();
    } finally {
      if (reusable) {
        IDLE.push(c);
      } else {
        // A context left in the middle of a frame is not worth resetting: free it.
        c.zstd.close();
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("zstd stream closed");
    }
  }

  private Context context() {
    if (context == null) {
      Context c = IDLE.poll();
      if (c == null) {
        c = new Context();
      }
      // reset() also clears the parameters, so they are set again every time.
      c.zstd.reset();
      c.zstd.setLevel(level);
      c.zstd.setWorkers(workers);
      c.zstd.setChecksum(false);
      c.in.clear();
      context = c;
    }
    return context;
  }

  /** Hands all buffered input to zstd as ordinary input ({@code ZSTD_e_continue}). */
  private void consumeInput(Context c) throws IOException {
    c.in.flip();
    while (c.in.hasRemaining()) {
      compress(c, c.in, EndDirective.CONTINUE);
      drain(c);
    }
    c.in.clear();
  }

  /** Consumes the buffered input, then flushes or ends the frame until zstd says it is done. */
  private void finish(Context c, EndDirective directive) throws IOException {
    consumeInput(c);
    c.in.flip();
    boolean done;
    do {
      done = compress(c, c.in, directive);
      drain(c);
    } while (!done);
    c.in.clear();
  }

  /** One native call; true when a flush or end is complete. */
  private static boolean compress(Context c, ByteBuffer src, EndDirective directive)
      throws IOException {
    try {
      return c.zstd.compressDirectByteBufferStream(c.out, src, directive);
    } catch (ZstdException e) {
      throw new IOException("zstd: " + e.getMessage(), e);
    }
  }

  private void drain(Context c) throws IOException {
    c.out.flip();
    if (c.out.hasRemaining()) {
      ByteBufferOutput.write(out, c.out, c.heap);
    }
    c.out.clear();
  }

  /** A native context with its buffers; used by one stream at a time. */
  private static final class Context {
    final ZstdCompressCtx zstd = new ZstdCompressCtx();
    final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
    final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    final byte[] heap = new byte[BUFFER];
  }
}
