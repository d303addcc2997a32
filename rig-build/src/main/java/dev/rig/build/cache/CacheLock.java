package dev.rig.build.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cache's readers-writer lock, {@code CACHE/.lock}: every build holds it shared for its run,
 * {@code rig cache gc} holds it exclusively while it removes entries, so a gc never deletes what a
 * running build (in this process or another) reads or is about to read, and a build never starts on
 * a half-collected cache.
 *
 * <p>The operating system's lock is per process (Java throws on a second lock of the same file in
 * one JVM), so the builds of one JVM share one shared OS lock, counted here; a gc in the same JVM
 * waits for that count to reach zero before it asks the OS for the exclusive lock. This class is
 * the one place that state lives.
 */
public final class CacheLock {
  static final String FILE = ".lock";

  private static final Map<Path, Holder> HOLDERS = new HashMap<>();

  private CacheLock() {}

  /** A held lock; closing it releases it (once). */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the lock shared for a build, waiting while a gc holds it; {@code waiting} hears one line
   * if it has to wait.
   */
  public static Lease shared(Path cacheDir, Consumer<String> waiting) throws IOException {
    Holder holder = holder(cacheDir);
    holder.acquireShared(waiting);
    return new Once(holder::releaseShared);
  }

  /**
   * Takes the lock exclusively for a gc, waiting for every running build to end; {@code waiting}
   * hears one line if it has to wait.
   */
  public static Lease exclusive(Path cacheDir, Consumer<String> waiting) throws IOException {
    Holder holder = holder(cacheDir);
    holder.acquireExclusive(waiting);
    return new Once(holder::releaseExclusive);
  }

  private static Holder holder(Path cacheDir) throws IOException {
    Path dir = cacheDir.toAbsolutePath().normalize();
    synchronized (HOLDERS) {
      Holder holder = HOLDERS.get(dir);
      if (holder == null) {
        holder = new Holder(dir.resolve(FILE));
        HOLDERS.put(dir, holder);
      }
      return holder;
    }
  }

  /** Releases a lease at most once, however often it is closed. */
  private static final class Once implements Lease {
    private final Runnable release;
    private boolean released;

    Once(Runnable release) {
      this.release = release;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        release.run();
      }
    }
  }

  /** The lock of one cache directory in this JVM. */
  private static final class Holder {
    private final Path file;
    private FileChannel channel;
    private FileLock osLock;
    private int shared;
    private boolean exclusive;

    Holder(Path file) {
      this.file = file;
    }

    synchronized void acquireShared(Consumer<String> waiting) throws IOException {
      boolean told = false;
      while (exclusive) {
        told = tell(waiting, told, "waiting for `rig cache gc` in this process to finish");
        await();
      }
      if (shared == 0) {
        osLock =
            lock(true, waiting, "waiting for `rig cache gc` to finish (it holds " + file + ")");
      }
      shared++;
    }

    synchronized void releaseShared() {
      shared--;
      if (shared == 0) {
        releaseOsLock();
      }
      notifyAll();
    }

    synchronized void acquireExclusive(Consumer<String> waiting) throws IOException {
      boolean told = false;
      while (exclusive || shared > 0) {
        told = tell(waiting, told, "waiting for the builds running in this process to finish");
        await();
      }
      osLock =
          lock(false, waiting, "waiting for running builds to finish (they hold " + file + ")");
      exclusive = true;
    }

    synchronized void releaseExclusive() {
      exclusive = false;
      releaseOsLock();
      notifyAll();
    }

    private FileLock lock(boolean asShared, Consumer<String> waiting, String message)
        throws IOException {
      if (channel == null || !channel.isOpen()) {
        Files.createDirectories(file.getParent());
        channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, asShared);
      if (lock != null) {
        return lock;
      }
      waiting.accept(message);
      return channel.lock(0, Long.MAX_VALUE, asShared);
    }

    /**
     * Closing the channel drops the OS lock with it, and keeps no descriptor open for a cache this
     * JVM no longer uses (a test run opens hundreds of caches).
     */
    private void releaseOsLock() {
      osLock = null;
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // A channel that fails to close has released its lock all the same.
      }
      channel = null;
    }

    private static boolean tell(Consumer<String> waiting, boolean told, String message) {
      if (!told) {
        waiting.accept(message);
      }
      return true;
    }

    private void await() throws IOException {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the cache lock " + file, e);
      }
    }
  }
}
