package dev.rig.registry.http;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Stops an {@link HttpClient}'s selector thread once the client is done, so that the JVM can exit
 * at once.
 *
 * <p>Why: the JDK's client keeps a daemon thread blocked in {@code epoll_wait}, i.e. in native
 * code, for as long as the client lives, and HotSpot's exit (System.exit or the end of main) waits
 * up to 300 ms for threads in native code to come back. That was a quarter of an unchanged re-push.
 * Java 21+ has {@code HttpClient.shutdownNow()}; on Java 17 the only handle is the thread itself,
 * which ends cleanly when interrupted (its loop checks the flag and then closes its selector).
 */
public final class ClientStopper {
  private static final String PREFIX = "HttpClient-";
  private static final String SUFFIX = "-SelectorManager";

  private final HttpClient client;
  private final Optional<Thread> selector;

  private ClientStopper(HttpClient client, Optional<Thread> selector) {
    this.client = client;
    this.selector = selector;
  }

  /**
   * Makes a client and notes its selector thread: the one such thread that appeared while it was
   * made. When another client was made at the same moment the thread is ambiguous and none is
   * noted, so {@link #stop()} never touches another client's thread.
   */
  public static ClientStopper create(Factory factory) throws IOException {
    Set<Thread> before = selectorThreads();
    HttpClient client = factory.make();
    Set<Thread> added = selectorThreads();
    added.removeAll(before);
    Optional<Thread> selector =
        added.size() == 1 ? Optional.of(added.iterator().next()) : Optional.empty();
    return new ClientStopper(client, selector);
  }

  /** Makes the client, e.g. {@link HttpClients#create}. */
  @FunctionalInterface
  public interface Factory {
    HttpClient make() throws IOException;
  }

  public HttpClient client() {
    return client;
  }

  /** Stops the client; requests still in flight fail. Waits briefly for the thread to end. */
  public void stop() {
    if (shutdownNow()) {
      return;
    }
    selector.ifPresent(
        thread -> {
          thread.interrupt();
          try {
            thread.join(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /**
   * Stops the selector thread of every JDK HTTP client in this JVM, for a command line that is
   * about to exit (e.g. just before {@code System.exit}): rig-apt's fetcher and any other client
   * then cost no exit delay either. Never call it while requests may still run.
   */
  public static void stopAll() {
    Set<Thread> threads = selectorThreads();
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      try {
        thread.join(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@code HttpClient.shutdownNow()} where the running JDK has it (21+); false otherwise. */
  private boolean shutdownNow() {
    try {
      Method m = HttpClient.class.getMethod("shutdownNow");
      m.invoke(client);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static Set<Thread> selectorThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    Set<Thread> out = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
        out.add(threads[i]);
      }
    }
    return out;
  }
}
