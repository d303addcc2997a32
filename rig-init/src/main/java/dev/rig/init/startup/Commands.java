package dev.rig.init.startup;

import dev.rig.init.supervise.ChildEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short helper program (chmod, ssh-keygen, ldconfig, openssl) and captures its output.
 *
 * <p>The timeout covers the whole run, output included: stdout and stderr share one pipe that a
 * separate thread drains while this one waits, so a helper that hangs, or one that leaves a
 * background child holding the pipe open, can never stall a startup step past its limit.
 */
final class Commands {
  /** After the helper exits, how long its output may take to reach end of file. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private Commands() {}

  record Output(int code, String text) {
    boolean ok() {
      return code == 0;
    }

    /** The first line of the output, for one-line messages. */
    String firstLine() {
      String t = text.strip();
      int nl = t.indexOf('\n');
      return nl < 0 ? t : t.substring(0, nl);
    }
  }

  static Output run(List<String> argv, String stdin, long timeoutSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      ChildEnvironment.removeConsumedSecrets(pb.environment());
      p = pb.start();
    } catch (IOException e) {
      return new Output(127, argv.get(0) + " could not run: " + e.getMessage());
    }
    Drain output = new Drain(p.getInputStream());
    try {
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the helper closed its stdin early; its exit code and output say why
      }
      if (!p.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        return new Output(
            124, argv.get(0) + " timed out after " + timeoutSeconds + " s: " + output.text(0));
      }
      String text = output.text(GRACE_NANOS);
      return new Output(p.exitValue(), text);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Output(130, "interrupted");
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** Output read so far by a thread of its own; {@link #done} completes at end of file. */
  private static final class Drain {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Drain(InputStream in) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try (in) {
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (bytes) {
                      bytes.write(buf, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // the pipe broke: what was read is all there is
                }
                done.complete(null);
              },
              "command-output");
      t.setDaemon(true);
      t.start();
    }

    /** The output so far, waiting up to {@code nanos} for the rest. */
    String text(long nanos) throws InterruptedException {
      try {
        done.get(nanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // a background child still holds the pipe; the exit code is what counts
      }
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
