package dev.rig.oci.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a file lock that another process may hold (another rig on the same cache), and gives up
 * instead of waiting forever: when the locked file has not changed for {@link #limit}, the holder
 * is taken to be stuck and the error names it (its pid, from /proc/locks) and the way out.
 *
 * <p>The limit is set with {@value #ENV} (seconds), default 10 minutes of no progress.
 */
public record LockWait(Duration limit) {
  public static final String ENV = "RIG_LOCK_TIMEOUT";
  private static final Duration POLL = Duration.ofMillis(100);

  public LockWait {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the lock wait limit must be positive, got " + limit);
    }
  }

  public static LockWait defaults() {
    return new LockWait(Duration.ofMinutes(10));
  }

  public static LockWait fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static LockWait fromEnvironment(Map<String, String> env) {
    String value = env.get(ENV);
    if (value == null || value.isBlank()) {
      return defaults();
    }
    try {
      return new LockWait(Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          ENV
              + "="
              + value
              + ": give the lock wait limit in seconds, a positive number such as 600");
    }
  }

  /**
   * Locks {@code channel} (the file at {@code file}), waiting while another process holds it and
   * the file keeps changing (the holder is making progress).
   *
   * @param what what the lock guards, for the message, e.g. "the download of curl_8.0.deb"
   */
  public FileLock acquire(FileChannel channel, Path file, String what) throws IOException {
    FileLock lock = channel.tryLock();
    if (lock != null) {
      return lock;
    }
    long lastChange = System.nanoTime();
    String lastState = state(file);
    while (true) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the lock on " + file);
      }
      lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      String now = state(file);
      if (!now.equals(lastState)) {
        lastState = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > limit.toNanos()) {
        throw new IOException(
            "gave up waiting for "
                + what
                + ": "
                + file
                + " is locked by "
                + holder(file).map(pid -> "process " + pid).orElse("another process")
                + " (another rig on the same cache?) and has not changed for "
                + limit.toSeconds()
                + " s; let that process finish or stop it, or raise "
                + ENV
                + " (seconds)");
      }
    }
  }

  /** Size and modification time: changes while the holder writes. */
  private static String state(Path file) {
    try {
      return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "gone";
    }
  }

  /** The pid that holds a lock on {@code file}, from Linux's /proc/locks (by inode). */
  static Optional<Long> holder(Path file) {
    try {
      long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
      List<String> lines = Files.readAllLines(Path.of("/proc/locks"));
      for (String line : lines) {
        // "1: POSIX  ADVISORY  WRITE 12345 08:01:5678 0 EOF" (or OFDLCK with pid -1)
        String[] f = line.trim().split("\\s+");
        if (f.length < 6 || f[1].equals("->")) {
          continue;
        }
        String[] device = f[5].split(":");
        if (device.length == 3 && device[2].equals(Long.toString(inode)) && !f[4].equals("-1")) {
          return Optional.of(Long.parseLong(f[4]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no /proc: the message says "another process".
    }
    return Optional.empty();
  }
}
