package dev.rig.oci.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The network settings a user can give through the environment, and the errors for bad ones. */
class NetSettingsTest {
  @Test
  void attemptsAndIdleTimeoutComeFromTheEnvironment() {
    NetSettings settings =
        NetSettings.fromEnvironment(Map.of("RIG_NET_ATTEMPTS", "8", "RIG_NET_IDLE_TIMEOUT", "1.5"));
    assertEquals(8, settings.retry().maxAttempts());
    assertEquals(Duration.ofMillis(1500), settings.idleTimeout());
    assertEquals(NetSettings.defaults(), NetSettings.fromEnvironment(Map.of()));
  }

  @Test
  void badValuesSayWhatToGive() {
    for (String bad : new String[] {"0", "101", "many", "-2"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> NetSettings.fromEnvironment(Map.of("RIG_NET_ATTEMPTS", bad)));
      assertTrue(e.getMessage().startsWith("RIG_NET_ATTEMPTS=" + bad + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("1 to 100"), e.getMessage());
    }
  }
}
