package dev.rig.init.startup;

import dev.rig.init.config.Durations;
import dev.rig.init.supervise.ChildEnvironment;
import dev.rig.init.supervise.LinePump;
import dev.rig.init.supervise.ProcessGroups;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The user's extraStartupScript, run with bash -c after sshd is up and before the other services;
 * its output goes to the log with a {@code [startup-script] } prefix. A failing script is reported,
 * not fatal: services (and SSH to debug the script) still come up.
 *
 * <p>A script must not hold the container hostage: it runs in a process group of its own, which is
 * killed when it runs past {@code extraStartupScriptTimeout} or when a stop signal arrives (so a
 * {@code sleep infinity} or a download left in the background goes too).
 */
public final class ExtraStartupScript implements StartupStep {
  /** How long the group gets between SIGTERM and SIGKILL. */
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final CompletableFuture<?> stop;

  /** A script that only its timeout ends. */
  public ExtraStartupScript() {
    this(new CompletableFuture<>());
  }

  /**
   * @param stop completes when rig-init is asked to stop; the script is then killed at once
   */
  public ExtraStartupScript(CompletableFuture<?> stop) {
    this.stop = stop;
  }

  @Override
  public String name() {
    return "extra-startup-script";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    String script = ctx.settings().extraStartupScript();
    if (script == null || script.isBlank()) {
      return StepResult.skipped(name(), "none");
    }
    Duration timeout = ctx.settings().extraStartupScriptTimeout();
    long t0 = System.nanoTime();
    ProcessBuilder pb =
        new ProcessBuilder(ProcessGroups.inNewGroup(List.of("bash", "-c", script)))
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(ChildEnvironment.of(ctx.env()));
    Process p = pb.start();
    p.getOutputStream().close();
    Thread pump = new LinePump(p.getInputStream(), ctx.out(), "startup-script", true).start();
    String ended = awaitExitOrStop(p, timeout);
    if (ended != null) {
      killGroup(p);
    }
    pump.join(5000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (ended != null) {
      return StepResult.failed(
          name(), ended + " after " + ms + " ms; its process group was killed");
    }
    int code = p.exitValue();
    if (code != 0) {
      return StepResult.failed(name(), "exited with code " + code + " after " + ms + " ms");
    }
    return StepResult.ok(name(), "done in " + ms + " ms");
  }

  /** Null when the script exited by itself, else why it is being ended. */
  private String awaitExitOrStop(Process p, Duration timeout) throws InterruptedException {
    try {
      CompletableFuture.anyOf(p.onExit(), stop).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "still running at its timeout ("
          + Durations.format(timeout)
          + ", runtime.extraStartupScriptTimeout)";
    } catch (ExecutionException e) {
      // the stop future does not fail; treat it as a stop
    }
    return p.isAlive() ? "stopped by a stop signal" : null;
  }

  private static void killGroup(Process p) throws InterruptedException {
    ProcessGroups.signal(p.pid(), "TERM");
    if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      ProcessGroups.signal(p.pid(), "KILL");
      p.waitFor(5, TimeUnit.SECONDS);
    }
    ProcessGroups.signal(p.pid(), "KILL"); // children that outlived bash
  }
}
