package dev.rig.build.load;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes on their way to the engine, from any thread, and reports them as progress ten
 * times a second at most.
 */
final class LoadProgress {
  private static final long EVERY_NANOS = 100_000_000L;

  private final String scope;
  private final long total;
  private final BuildListener listener;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastReport = new AtomicLong();

  LoadProgress(String scope, long total, BuildListener listener) {
    this.scope = scope;
    this.total = total;
    this.listener = listener;
  }

  void add(long n) {
    long done = count.addAndGet(n);
    long now = System.nanoTime();
    long last = lastReport.get();
    if (now - last > EVERY_NANOS && lastReport.compareAndSet(last, now)) {
      listener.on(
          new BuildEvent.PhaseProgress(
              scope, BuildEvent.Phase.LOAD, done, total, BuildEvent.Unit.BYTES, ""));
    }
  }

  long count() {
    return count.get();
  }

  /** {@code out}, counting what goes through it. */
  OutputStream counting(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        add(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        add(len);
      }
    };
  }
}
