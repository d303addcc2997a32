package dev.rig.oci.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Work on one key done by one thread at a time: a thread asking for a key another thread is working
 * on waits for it to end, then does the work itself. Made for work that first looks in a cache (a
 * layer, an unpacked .deb), so that the waiter finds there what the first one made instead of
 * making it again.
 */
public final class SingleFlight<K> {
  /** The work: it looks in its cache first. */
  public interface Work<T> {
    T run() throws IOException;
  }

  private final ConcurrentHashMap<K, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

  /** Runs {@code work} for {@code key} once no other thread of this process runs it. */
  public <T> T run(K key, Work<T> work) throws IOException {
    while (true) {
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> other = running.putIfAbsent(key, mine);
      if (other == null) {
        try {
          return work.run();
        } finally {
          running.remove(key, mine);
          mine.complete(null);
        }
      }
      try {
        other.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + key);
      } catch (ExecutionException e) {
        // Never completed exceptionally; the loop looks again either way.
      }
    }
  }
}
