package dev.rig.oci.event;

/**
 * Receives progress from the OCI core. The core never logs; the CLI turns events into progress
 * output or JSON, tests count them. Called from the building thread, possibly from several threads
 * at once: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface OciEventListener {
  /** Ignores every event. */
  OciEventListener NONE = event -> {};

  void onEvent(OciEvent event);
}
