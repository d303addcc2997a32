package dev.rig.build.load;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of the container engine's command line, its output kept for results and errors. */
final class EngineCommand {
  /** What the engine printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The output in one line, for an error message. */
    String oneLine() {
      return String.join(" | ", output.strip().lines().toList());
    }
  }

  private final ContainerRuntime runtime;
  private final Duration timeout;

  EngineCommand(ContainerRuntime runtime, Duration timeout) {
    this.runtime = runtime;
    this.timeout = timeout;
  }

  /** Runs {@code ENGINE ARGS...}; the output of a failed run is in the result, not thrown. */
  Result run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(runtime.executable().toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    CompletableFuture<String> output = drain(process.getInputStream());
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException(
          runtime.kind()
              + " "
              + String.join(" ", args)
              + " did not finish within "
              + timeout.toSeconds()
              + " s");
    }
    return new Result(process.exitValue(), output.join());
  }

  /**
   * Reads a process's output to its end on a thread of its own (not a shared pool, whose one thread
   * on a small machine could be held by another drain while this process blocks on a full pipe).
   */
  static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              ByteArrayOutputStream buffer = new ByteArrayOutputStream();
              try (in) {
                in.transferTo(buffer);
              } catch (IOException e) {
                // The process ended; what was read is what it said.
              }
              result.complete(buffer.toString(StandardCharsets.UTF_8));
            },
            "rig-engine-output");
    thread.setDaemon(true);
    thread.start();
    return result;
  }
}
