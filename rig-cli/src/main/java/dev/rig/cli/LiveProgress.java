package dev.rig.cli;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildEvent.Phase;
import dev.rig.build.event.BuildEvent.Unit;
import dev.rig.build.event.BuildListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress on a terminal: finished steps as lines (what {@link Progress} prints), and below them
 * one status line, redrawn five times a second, with every running phase, its count or bytes, its
 * rate and its elapsed time. A phase that reports nothing for a while (dpkg running a long
 * maintainer script) still shows its clock moving, so the display is never silent.
 */
final class LiveProgress implements BuildListener, AutoCloseable {
  /** Erase the line the cursor is on and go back to its start. */
  private static final String CLEAR = "\r\033[K";

  private final PrintWriter err;
  private final Progress lines;
  private final int width;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker;
  private boolean statusShown;

  /** One phase under way. */
  private static final class Running {
    final String scope;
    final Phase phase;
    final long startNanos = System.nanoTime();
    long done;
    long total;
    Unit unit;
    String item = "";

    Running(String scope, Phase phase, long total, Unit unit) {
      this.scope = scope;
      this.phase = phase;
      this.total = total;
      this.unit = unit;
    }
  }

  LiveProgress(PrintWriter err, int width) {
    this(err, width, false);
  }

  LiveProgress(PrintWriter err, int width, boolean verbose) {
    this.err = err;
    this.lines = Progress.to(err, verbose);
    this.width = Math.max(40, width);
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "rig-progress");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(this::redraw, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** The terminal's width from COLUMNS, else a common default. */
  static int terminalWidth() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").strip());
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  @Override
  public synchronized void on(BuildEvent event) {
    if (event instanceof BuildEvent.PhaseStarted started) {
      running.put(
          key(started.scope(), started.phase()),
          new Running(started.scope(), started.phase(), started.total(), started.unit()));
      redraw();
      return;
    }
    if (event instanceof BuildEvent.PhaseProgress progress) {
      Running r =
          running.computeIfAbsent(
              key(progress.scope(), progress.phase()),
              k ->
                  new Running(
                      progress.scope(), progress.phase(), progress.total(), progress.unit()));
      r.done = progress.done();
      r.total = progress.total();
      r.unit = progress.unit();
      r.item = progress.item();
      return; // drawn by the ticker: progress can come thousands of times a second
    }
    if (event instanceof BuildEvent.PhaseDone done) {
      running.remove(key(done.scope(), done.phase()));
    }
    clearStatus();
    lines.on(event);
    redraw();
  }

  private static String key(String scope, Phase phase) {
    return scope + "\0" + phase;
  }

  private synchronized void redraw() {
    if (running.isEmpty()) {
      clearStatus();
      return;
    }
    List<String> parts = new ArrayList<>();
    for (Running r : running.values()) {
      parts.add(describe(r));
    }
    String status = String.join("  |  ", parts);
    if (status.length() > width - 1) {
      status = status.substring(0, width - 2) + "…";
    }
    err.print(CLEAR + status);
    err.flush();
    statusShown = true;
  }

  private void clearStatus() {
    if (statusShown) {
      err.print(CLEAR);
      err.flush();
      statusShown = false;
    }
  }

  /** {@code gpu: download 120.5 MiB/700.1 MiB 35.2 MiB/s 3.4s}. */
  static String describe(String scope, Phase phase, long done, long total, Unit unit, double secs) {
    StringBuilder text = new StringBuilder(scope).append(": ").append(phase.label());
    if (total > 0 || done > 0) {
      text.append(' ');
      if (unit == Unit.BYTES) {
        text.append(Progress.bytes(done));
        if (total > 0) {
          text.append('/').append(Progress.bytes(total));
        }
        if (secs > 0.2 && done > 0) {
          text.append(' ').append(Progress.bytes((long) (done / secs))).append("/s");
        }
      } else {
        text.append(done);
        if (total > 0) {
          text.append('/').append(total);
        }
      }
      if (total > 0) {
        text.append(String.format(Locale.ROOT, " %d%%", Math.min(100, done * 100 / total)));
      }
    }
    text.append(String.format(Locale.ROOT, " %.1fs", secs));
    return text.toString();
  }

  private static String describe(Running r) {
    double secs = (System.nanoTime() - r.startNanos) / 1e9;
    String text = describe(r.scope, r.phase, r.done, r.total, r.unit, secs);
    return r.item.isEmpty() ? text : text + " " + r.item;
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    clearStatus();
  }
}
