package dev.rig.init.config;

import java.util.List;

/** The signals a service may ask to be stopped with; names as kill(1) spells them, no SIG. */
public final class StopSignal {
  public static final List<String> NAMES =
      List.of("TERM", "INT", "QUIT", "HUP", "USR1", "USR2", "KILL", "WINCH");

  private StopSignal() {}

  /** Accepts "TERM" and "SIGTERM" in any case; returns the bare upper-case name. */
  public static String normalise(String name) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT);
    return n.startsWith("SIG") ? n.substring(3) : n;
  }
}
