package dev.rig.init.supervise;

import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT turned into a future. Java has no public signal API; sun.misc.Signal (module
 * jdk.unsupported, present in every JRE) is the supported-in-practice way and needs no native code.
 * Replacing the JVM's default handlers also means no shutdown hooks race the orderly stop.
 */
public final class StopSignals {
  private StopSignals() {}

  /** Completes with the signal name ("TERM" or "INT") when the first of them arrives. */
  public static CompletableFuture<String> install() {
    CompletableFuture<String> stop = new CompletableFuture<>();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> stop.complete(s.getName()));
    }
    return stop;
  }
}
