package dev.rig.oci.net;

import java.time.Duration;

/** Told before each wait for another try, so a client can report it as its own typed event. */
@FunctionalInterface
public interface RetryListener {
  RetryListener NONE = (what, attempt, delay, reason) -> {};

  /**
   * @param what the transfer, e.g. "GET http://host/dists/stable/InRelease"
   * @param attempt the attempt that failed (1 for the first)
   * @param delay the wait before the next one
   * @param reason what went wrong, in words ("HTTP 503", "connection closed mid-transfer")
   */
  void retrying(String what, int attempt, Duration delay, String reason);
}
