package dev.rig.registry.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A stopped client leaves no selector thread behind for the JVM's exit to wait on. */
class ClientStopperTest {
  private static boolean selectorAlive(HttpClient client) {
    Thread[] threads = new Thread[Thread.activeCount() + 32];
    int n = Thread.enumerate(threads);
    // The JDK names the thread after the client: "HttpClient-<id>-SelectorManager".
    String id = client.toString().replaceAll(".*\\(([0-9]+)\\).*", "$1");
    return Arrays.stream(threads, 0, n)
        .anyMatch(t -> t.getName().equals("HttpClient-" + id + "-SelectorManager") && t.isAlive());
  }

  @Test
  void stopEndsTheSelectorThread() throws Exception {
    ClientStopper stopper = ClientStopper.create(HttpClient::newHttpClient);
    assertTrue(selectorAlive(stopper.client()), stopper.client().toString());
    stopper.stop();
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (selectorAlive(stopper.client()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(selectorAlive(stopper.client()), "the selector thread still runs");
  }

  @Test
  void stopAllEndsEveryClientsSelectorThread() throws Exception {
    HttpClient a = HttpClient.newHttpClient();
    HttpClient b = HttpClient.newHttpClient();
    ClientStopper.stopAll();
    Thread.sleep(50);
    assertFalse(selectorAlive(a) || selectorAlive(b));
  }
}
