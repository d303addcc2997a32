package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.registry.model.ImageReference;
import org.junit.jupiter.api.Test;

/** Loopback is decided from IP literals and the name localhost, never from a name's prefix. */
class LoopbackHostTest {
  @Test
  void loopbackLiteralsAndLocalhostAre() {
    for (String host :
        new String[] {"127.0.0.1:5000", "127.1.2.3", "localhost:5000", "LOCALHOST", "[::1]:5000"}) {
      assertTrue(ImageReference.isLoopbackHost(host), host);
    }
  }

  @Test
  void namesThatOnlyLookLikeLoopbackAreNot() {
    for (String host :
        new String[] {
          "127.evil.example",
          "127.evil.example:5000",
          "127.0.0.1.evil.example",
          "localhost.evil.example",
          "128.0.0.1",
          "127.0.0.300",
          "[::2]:5000",
          "registry.example.com"
        }) {
      assertFalse(ImageReference.isLoopbackHost(host), host);
    }
  }
}
