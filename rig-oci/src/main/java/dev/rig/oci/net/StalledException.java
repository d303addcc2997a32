package dev.rig.oci.net;

import java.io.IOException;
import java.time.Duration;

/** A server sent part of a response and then nothing for longer than the idle timeout. */
public final class StalledException extends IOException {
  public StalledException(String source, Duration idle) {
    super(
        source
            + " sent no data for "
            + IdleWatch.seconds(idle)
            + " (the server stalled); raise "
            + NetSettings.IDLE_TIMEOUT_ENV
            + " (seconds) for a very slow link");
  }
}
