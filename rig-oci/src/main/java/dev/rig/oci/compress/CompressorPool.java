package dev.rig.oci.compress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a compressor works on. The shared pool has one thread per core and serves every layer
 * a build makes. A narrow pool starts with fewer, for work done beside something more urgent
 * (layers compressed while dpkg installs the next stage on one core), and can be widened to every
 * core once that is over. The compressed bytes never depend on the pool: gzip's blocks and zstd's
 * multi-threaded format come out the same for any number of threads.
 */
public final class CompressorPool implements AutoCloseable {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private static final CompressorPool SHARED = new CompressorPool("rig-gzip", CORES, false);

  private final ThreadPoolExecutor executor;
  private final boolean owned;

  private CompressorPool(String name, int threads, boolean owned) {
    int size = Math.max(1, Math.min(threads, CORES));
    this.executor =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
    this.owned = owned;
  }

  /** Every core, shared by all compressors of this JVM; {@link #close} leaves it running. */
  public static CompressorPool shared() {
    return SHARED;
  }

  /** A pool of its own with {@code threads} threads (at least one), until {@link #widen}. */
  public static CompressorPool narrow(String name, int threads) {
    return new CompressorPool(name, threads, true);
  }

  /** From now on, one thread per core; work under way speeds up from its next block. */
  public void widen() {
    if (executor.getMaximumPoolSize() < CORES) {
      executor.setMaximumPoolSize(CORES);
      executor.setCorePoolSize(CORES);
    }
  }

  /** The threads it runs now. */
  public int threads() {
    return executor.getCorePoolSize();
  }

  /** The most threads it may ever run: how many blocks a compressor keeps in flight. */
  static int maxThreads() {
    return CORES;
  }

  ExecutorService executor() {
    return executor;
  }

  /** Stops a pool of its own (its running tasks are interrupted); the shared pool stays. */
  @Override
  public void close() {
    if (owned) {
      executor.shutdownNow();
    }
  }
}
