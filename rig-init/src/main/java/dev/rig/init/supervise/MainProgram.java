package dev.rig.init.supervise;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The container's command (CMD, {@code run -- cmd}, vast's args, RunPod's start command). It keeps
 * rig-init's stdin, stdout and stderr and its process group, so a terminal and Ctrl-C reach it as
 * they would without rig-init; its exit code becomes the container's.
 */
public final class MainProgram {
  private final Process process;

  private MainProgram(Process process) {
    this.process = process;
  }

  public static MainProgram start(List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
    ChildEnvironment.removeConsumedSecrets(pb.environment());
    return new MainProgram(pb.start());
  }

  public long pid() {
    return process.pid();
  }

  /** Completes with the exit code (128+n when killed by signal n, as a shell reports it). */
  public CompletableFuture<Integer> exit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** SIGTERM, then SIGKILL after {@code timeout}. */
  public void stop(Duration timeout) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
