package dev.rig.init.supervise;

/** Where a service is in its life; written to status.json in lower case. */
public enum ServiceState {
  /** Waiting for the services it depends on to become ready. */
  WAITING,
  /** Started; its readiness probe has not passed yet. */
  STARTING,
  RUNNING,
  /** Exited and waiting out the restart delay. */
  BACKOFF,
  STOPPING,
  /** Stopped by rig-init, or exited cleanly with no restart due. */
  STOPPED,
  /** Gave up: out of restarts, a failed dependency, or a program that cannot start. */
  FAILED;

  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
