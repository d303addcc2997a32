package dev.rig.oci.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Puts an idle timeout on a response body: a read that waits longer than the limit for its next
 * byte fails with {@link StalledException}. java.net.http's timeout ends when the headers arrive,
 * so without this a server that stops sending mid-body would hold rig forever.
 *
 * <p>Only time spent blocked in {@code read} counts, so a slow consumer is never blamed on the
 * server. One daemon thread checks every watched stream.
 */
public final class IdleWatch {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rig-net-idle-watch");
            t.setDaemon(true);
            return t;
          });

  private IdleWatch() {}

  /** {@code in}, failing with {@link StalledException} naming {@code source} when it stalls. */
  public static InputStream watch(InputStream in, Duration limit, String source) {
    return new Watched(in, limit, source);
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format("%.1f s", ms / 1000.0);
  }

  private static final class Watched extends FilterInputStream {
    private final long limitNanos;
    private final Duration limit;
    private final String source;
    private final ScheduledFuture<?> check;
    // Guarded by this: the thread blocked in read and since when, and whether it was stopped.
    private Thread reader;
    private long waitingSince;
    private boolean stalled;

    Watched(InputStream in, Duration limit, String source) {
      super(in);
      this.limit = limit;
      this.limitNanos = limit.toNanos();
      this.source = source;
      long period = Math.max(20, limit.toMillis() / 4);
      this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
      if (reader != null && !stalled && System.nanoTime() - waitingSince > limitNanos) {
        stalled = true;
        // Closing ends the transfer; the interrupt wakes a reader parked inside the HTTP client,
        // which closing alone does not.
        try {
          in.close();
        } catch (IOException | RuntimeException e) {
          // Already broken: the interrupt below still wakes the reader.
        }
        reader.interrupt();
      }
    }

    private synchronized void begin() throws IOException {
      if (stalled) {
        throw new StalledException(source, limit);
      }
      reader = Thread.currentThread();
      waitingSince = System.nanoTime();
    }

    /** Ends a read; a stalled one clears the interrupt meant only for it and says why it failed. */
    private synchronized boolean end() {
      reader = null;
      if (stalled) {
        Thread.interrupted();
      }
      return stalled;
    }

    @Override
    public int read() throws IOException {
      begin();
      try {
        int b = in.read();
        if (end()) {
          throw new StalledException(source, limit);
        }
        return b;
      } catch (IOException | RuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      begin();
      try {
        int n = in.read(b, off, len);
        if (end()) {
          throw new StalledException(source, limit);
        }
        return n;
      } catch (IOException | RuntimeException e) {
        throw failure(e);
      }
    }

    private IOException failure(Exception e) {
      if (e instanceof StalledException s) {
        return s;
      }
      if (end()) {
        return new StalledException(source, limit);
      }
      return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public void close() throws IOException {
      check.cancel(false);
      synchronized (this) {
        if (stalled) {
          return;
        }
      }
      in.close();
    }
  }
}
