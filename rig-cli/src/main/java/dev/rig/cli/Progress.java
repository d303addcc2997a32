package dev.rig.cli;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.Sizes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders build events as lines on stderr, so stdout keeps only the results. By default an image
 * gets one summary line (a warm rebuild of a 50-layer image is one line, not 50), and phases the
 * cache served are not mentioned; verbose adds a line for every layer and every phase.
 */
final class Progress implements BuildListener {
  private final PrintWriter err;
  private final boolean verbose;

  private Progress(PrintWriter err, boolean verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  static Progress to(PrintWriter err) {
    return new Progress(err, false);
  }

  static Progress to(PrintWriter err, boolean verbose) {
    return new Progress(err, verbose);
  }

  static BuildListener silent() {
    return BuildListener.NONE;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    if (event instanceof BuildEvent.ImageStarted started) {
      layerCounts.put(started.image(), new int[2]);
      if (verbose) {
        err.printf("%s: %d layer(s) to assemble%n", started.image(), started.layers());
      }
    } else if (event instanceof BuildEvent.LayerReady layer) {
      layerCounts.computeIfAbsent(layer.image(), k -> new int[2])[layer.reused() ? 1 : 0]++;
      if (!verbose) {
        return;
      }
      err.printf(
          "%s: layer %d/%d %s (%s, %s, %s)%n",
          layer.image(),
          layer.index(),
          layer.total(),
          layer.createdBy(),
          layer.reused() ? "cached" : "built",
          bytes(layer.bytes()),
          seconds(layer.took()));
    } else if (event instanceof BuildEvent.ImageDone done) {
      int[] counts = layerCounts.getOrDefault(done.image(), new int[2]);
      if (verbose) {
        err.printf(
            "%s: %s %s (%s)%n",
            done.image(), done.reference(), done.digest(), seconds(done.took()));
      } else {
        err.printf("%s %s (%s)%n", done.reference(), done.digest(), summary(counts, done.took()));
      }
    } else if (event instanceof BuildEvent.ImageUpToDate fresh) {
      if (verbose) {
        err.printf(
            "%s: %s %s (the output holds it as these inputs built it; nothing built, %s)%n",
            fresh.image(), fresh.reference(), fresh.digest(), seconds(fresh.took()));
      } else {
        err.printf(
            "%s %s (%s)%n",
            fresh.reference(),
            fresh.digest(),
            summary(new int[] {0, fresh.layers()}, fresh.took()));
      }
    } else if (event instanceof BuildEvent.HomeCheckedOut home) {
      err.printf(
          "%s: home: %s at %s (%s, %s)%n",
          home.image(),
          home.url(),
          home.commit().substring(0, Math.min(12, home.commit().length())),
          home.cached() ? "cached" : "checked out",
          seconds(home.took()));
    } else if (event instanceof BuildEvent.BaseInspected base) {
      err.printf(
          "%s: base: %s, %d packages installed%s%n",
          base.image(),
          base.system(),
          base.packages(),
          base.fromBase().isEmpty()
              ? ""
              : "; has already " + String.join(", ", base.fromBase()) + " (used as they are)");
    } else if (event instanceof BuildEvent.PhaseStarted started) {
      long now = System.nanoTime();
      phaseStart.put(started.scope() + started.phase(), now);
      lastLine.put(started.scope() + started.phase(), now);
      if (!started.detail().isEmpty()) {
        err.printf("%s: %s: %s%n", started.scope(), started.phase().label(), started.detail());
      }
    } else if (event instanceof BuildEvent.PhaseProgress progress) {
      // In a log, a line every few seconds shows the run is alive without flooding it.
      String key = progress.scope() + progress.phase();
      long now = System.nanoTime();
      long last = lastLine.getOrDefault(key, 0L);
      if (now - last < PLAIN_PROGRESS_EVERY_NANOS) {
        return;
      }
      lastLine.put(key, now);
      long began = phaseStart.getOrDefault(key, now);
      err.println(
          LiveProgress.describe(
              progress.scope(),
              progress.phase(),
              progress.done(),
              progress.total(),
              progress.unit(),
              (now - began) / 1e9));
    } else if (event instanceof BuildEvent.PhaseDone done) {
      phaseStart.remove(done.scope() + done.phase());
      lastLine.remove(done.scope() + done.phase());
      if (!verbose && (done.cached() || done.phase() == BuildEvent.Phase.EXPORT)) {
        // The cache served it (the summary line says so), or it only wrote what the results say.
        return;
      }
      if (done.phase() == BuildEvent.Phase.EXPORT) {
        err.printf("%s (%s)%n", done.summary(), seconds(done.took()));
      } else if (done.phase() != BuildEvent.Phase.LAYERS) {
        // (Each layer had its line, and the image's digest line follows.)
        err.printf(
            "%s: %s: %s (%s)%n",
            done.scope(), done.phase().label(), done.summary(), seconds(done.took()));
      }
    } else if (event instanceof BuildEvent.Notice notice) {
      err.printf("%s: %s%n", notice.scope(), notice.text());
    } else if (event instanceof BuildEvent.VmHypervisorChosen chosen) {
      err.printf(
          "%s: booting with %s%n",
          chosen.image(), chosen.hypervisor() + (chosen.kvm() ? " and KVM" : " without KVM (TCG)"));
      for (String reason : chosen.reasons()) {
        err.printf("%s:   %s%n", chosen.image(), reason);
      }
    } else if (event instanceof BuildEvent.VmPreflightChecked check) {
      err.printf(
          "%s: %-4s %s: %s%n",
          check.image(), check.passed() ? "ok" : "FAIL", check.subject(), check.detail());
      for (String fix : check.fix()) {
        err.printf("%s:        %s%n", check.image(), fix);
      }
    }
    err.flush();
  }

  /**
   * "unchanged, 50 layers cached, 0.6 s" or "2 of 50 layers built, 48 cached, 12.3 s": unchanged
   * when the cache served every layer.
   */
  static String summary(int[] builtAndCached, Duration took) {
    int built = builtAndCached[0];
    int cached = builtAndCached[1];
    int total = built + cached;
    String layers = total == 1 ? " layer" : " layers";
    if (built == 0) {
      return "unchanged, " + total + layers + " cached, " + Sizes.seconds(took);
    }
    return built
        + " of "
        + total
        + layers
        + " built, "
        + cached
        + " cached, "
        + Sizes.seconds(took);
  }

  /** Layers built ([0]) and served by the cache ([1]) per image, for its summary line. */
  private final Map<String, int[]> layerCounts = new HashMap<>();

  /** How often a plain log gets a line for a phase that is still running. */
  private static final long PLAIN_PROGRESS_EVERY_NANOS = 5_000_000_000L;

  private final Map<String, Long> phaseStart = new HashMap<>();
  private final Map<String, Long> lastLine = new HashMap<>();

  static String bytes(long n) {
    return Sizes.bytes(n);
  }

  static String seconds(Duration d) {
    return Sizes.seconds(d);
  }
}
