package dev.rig.oci.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The thread pools of rig's parallel steps (layers, uploads, downloads, unpacking, gzip blocks) and
 * the wait for their results, so that every step fails the same way: with its task's own exception,
 * not a wrapper around it.
 */
public final class Tasks {
  private Tasks() {}

  /**
   * A fixed pool of {@code threads} (at least one) daemon threads named {@code name}: a pool left
   * behind by a failure never keeps the JVM alive.
   */
  public static ExecutorService daemonPool(String name, int threads) {
    return Executors.newFixedThreadPool(
        Math.max(1, threads),
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The task's result. Its IOException or unchecked exception is rethrown as it was (an
   * UncheckedIOException as the IOException inside); {@code doing} ("pushing blobs") names the step
   * in the message of an interruption or of any other failure.
   */
  public static <T> T await(Future<T> future, String doing) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + doing);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(doing + " failed: " + cause, cause);
    }
  }
}
