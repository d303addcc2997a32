package dev.rig.cli;

import java.time.Instant;

/**
 * Reads SOURCE_DATE_EPOCH (reproducible-builds.org): the time written into layers and image config.
 * Unset means the Unix epoch, so that builds are reproducible by default.
 */
final class SourceDateEpoch {
  private SourceDateEpoch() {}

  static Instant fromEnvironment() {
    return parse(System.getenv("SOURCE_DATE_EPOCH"));
  }

  static Instant parse(String value) {
    if (value == null || value.isBlank()) {
      return Instant.EPOCH;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds < 0) {
        throw new NumberFormatException("negative");
      }
      return Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH='"
              + value
              + "' is not a number of seconds since 1970-01-01 (unset it, or use e.g."
              + " SOURCE_DATE_EPOCH=$(git log -1 --format=%ct))");
    }
  }
}
