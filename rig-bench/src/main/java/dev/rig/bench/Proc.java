package dev.rig.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program with a time limit and measures its wall time. Output goes to files in a
 * log directory (never to pipes that could fill up); on a time-out the whole process tree is killed
 * by PID.
 */
final class Proc {
  private final Path logDir;
  private int counter;

  Proc(Path logDir) throws IOException {
    this.logDir = Files.createDirectories(logDir);
  }

  /** The outcome of one run. */
  record Result(List<String> command, int exitCode, double seconds, String stdout, String stderr) {
    Result ok() {
      if (exitCode != 0) {
        throw new BenchException(
            String.join(" ", command)
                + " exited "
                + exitCode
                + "\n--- stderr (tail)\n"
                + tail(stderr)
                + "\n--- stdout (tail)\n"
                + tail(stdout));
      }
      return this;
    }
  }

  /** {@code bash -c SCRIPT} with pipefail, for the pipelines of the reference rows. */
  Result shell(String script, Duration timeout) {
    return run(List.of("bash", "-c", "set -euo pipefail; " + script), Map.of(), null, timeout);
  }

  Result run(List<String> command, Duration timeout) {
    return run(command, Map.of(), null, timeout);
  }

  synchronized Result run(
      List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
    int n = ++counter;
    Path out = logDir.resolve(n + ".out");
    Path err = logDir.resolve(n + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(env);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BenchException("cannot run " + String.join(" ", command) + ": " + e.getMessage());
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process.toHandle());
        throw new BenchException(
            String.join(" ", command)
                + " did not finish within "
                + timeout.toSeconds()
                + " s (killed); stderr tail:\n"
                + tail(read(err)));
      }
    } catch (InterruptedException e) {
      killTree(process.toHandle());
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted while running " + String.join(" ", command));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(List.copyOf(command), process.exitValue(), seconds, read(out), read(err));
  }

  /** Kills a process and everything it started, children first, by PID. */
  static void killTree(ProcessHandle handle) {
    List<ProcessHandle> descendants = handle.descendants().toList();
    handle.destroyForcibly();
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    try {
      handle.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Reported by the caller's time-out message already.
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }
}
