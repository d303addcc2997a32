package dev.rig.init.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Restart backoff: doubling, capped, and never faster than the floor. */
class RestartSpecTest {
  @Test
  void aDelayThatRoundsToZeroStillWaitsTheFloor() {
    RestartSpec r =
        new RestartSpec(RestartPolicy.ALWAYS, null, Duration.ofNanos(100), Duration.ZERO, null);
    assertEquals(Duration.ofMillis(100), r.delayBefore(1));
    assertEquals(Duration.ofMillis(100), r.delayBefore(50));
    RestartSpec tiny =
        new RestartSpec(RestartPolicy.ALWAYS, null, Duration.ZERO, Duration.ofSeconds(1), null);
    assertEquals(Duration.ofMillis(100), tiny.delayBefore(1));
    assertEquals(Duration.ofMillis(200), tiny.delayBefore(2));
    assertEquals(Duration.ofSeconds(1), tiny.delayBefore(10));
  }

  @Test
  void theDefaultDoublesFromOneSecondUpToThirtySeconds() {
    RestartSpec r = RestartSpec.DEFAULT;
    assertEquals(Duration.ofSeconds(1), r.delayBefore(1));
    assertEquals(Duration.ofSeconds(2), r.delayBefore(2));
    assertEquals(Duration.ofSeconds(16), r.delayBefore(5));
    assertEquals(Duration.ofSeconds(30), r.delayBefore(6));
  }
}
