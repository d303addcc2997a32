package dev.rig.build.image;

import dev.rig.build.packages.FinishedStage;
import dev.rig.build.packages.StageSink;
import dev.rig.oci.cache.LayerBuilder;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.compress.CompressorPool;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the package layers of finished install stages on one thread while the stages above them
 * install. dpkg runs on one core, so the other compresses: the layers the image's last step would
 * otherwise compress on every core, after the install, are then mostly in the cache already. The
 * builds are only ahead of time, never different: each is the image's own layer input, and {@link
 * LayerBuilder} builds an input once however many threads ask for it. A layer whose input changes
 * by the end (a later script rewrote one of its files) is simply built again then.
 *
 * <p>The largest layer waiting goes first, whichever stage it is from: the CUDA stage's one large
 * layer is what the image's last step would otherwise end with, alone. Once the install is over
 * ({@link #installed}) no new layer is started, and the one under way gets every core. Nothing here
 * can fail the build: a layer it could not make is made by the build's last step, which reports
 * whatever went wrong.
 */
final class LayersAhead implements StageSink, AutoCloseable {
  private final LayerBuilder layers;
  private final Compression compression;
  private final int budget;
  private final ThreadPoolExecutor thread;
  private final CompressorPool pool = CompressorPool.narrow("rig-gzip-ahead", 1);
  private final AtomicLong order = new AtomicLong();
  private volatile boolean stopped;

  LayersAhead(LayerBuilder layers, Compression compression, int budget) {
    this.layers = layers;
    this.compression = compression;
    this.budget = budget;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new PriorityBlockingQueue<>(),
            task -> {
              Thread t = new Thread(task, "rig-layers-ahead");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public int budget() {
    return budget;
  }

  @Override
  public void finished(FinishedStage stage) {
    // Reading a stage is quick and tells what there is to build: it goes before any layer.
    run(
        Long.MAX_VALUE,
        () -> {
          for (LayerInput input : stage.layers()) {
            run(LayerSizes.estimate(input), () -> layers.buildAhead(input, compression, pool));
          }
        });
  }

  /** The install is over: no layer is started from now on, and the one under way gets all cores. */
  void installed() {
    stopped = true;
    pool.widen();
  }

  /**
   * Stops: after a failure the layer under way is interrupted (its temp blob is deleted); either
   * way, nothing of this runs once it returns.
   */
  @Override
  public void close() throws IOException {
    stopped = true;
    thread.shutdownNow();
    pool.close();
    try {
      if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new IOException("building layers ahead did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private void run(long priority, Step step) {
    if (!stopped && !thread.isShutdown()) {
      thread.execute(new Queued(priority, order.getAndIncrement(), step));
    }
  }

  /** A step, higher priority first, then first come first served. */
  private final class Queued implements Runnable, Comparable<Queued> {
    private final long priority;
    private final long sequence;
    private final Step step;

    Queued(long priority, long sequence, Step step) {
      this.priority = priority;
      this.sequence = sequence;
      this.step = step;
    }

    @Override
    public void run() {
      if (stopped) {
        return;
      }
      try {
        step.run();
      } catch (IOException | RuntimeException e) {
        // Made (and any failure reported) by the build's last step.
      }
    }

    @Override
    public int compareTo(Queued other) {
      int byPriority = Long.compare(other.priority, priority);
      return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
    }
  }
}
