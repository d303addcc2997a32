package dev.rig.init.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
  @Test
  void oneTakesTheSingularEveryOtherCountThePlural() {
    assertEquals("0 keys", Plural.of(0, "key", "keys"));
    assertEquals("1 key", Plural.of(1, "key", "keys"));
    assertEquals("2 libraries", Plural.of(2, "library", "libraries"));
  }
}
