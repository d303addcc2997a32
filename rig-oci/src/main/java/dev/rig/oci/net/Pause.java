package dev.rig.oci.net;

import java.io.InterruptedIOException;
import java.time.Duration;

/** The wait between tries; an interrupt (the user stopping rig) ends it as an I/O error. */
final class Pause {
  private Pause() {}

  static void sleep(Duration delay, String what) throws InterruptedIOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + what);
    }
  }
}
