package dev.rig.build.event;

/** Receives build progress. Implementations must be thread-safe: layers build in parallel. */
@FunctionalInterface
public interface BuildListener {
  BuildListener NONE = event -> {};

  void on(BuildEvent event);
}
