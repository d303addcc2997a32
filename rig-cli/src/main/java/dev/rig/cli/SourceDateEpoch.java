package dev.rig.cli;

import java.time.Instant;
import java.util.Optional;

/**
 * Reads SOURCE_DATE_EPOCH (reproducible-builds.org): the time written into layers and image config.
 * Unset means "let rig choose": the newest Release date an image's packages were locked from (see
 * Rig.build), which is as reproducible, since it comes from rig.lock.
 */
final class SourceDateEpoch {
  private SourceDateEpoch() {}

  static Optional<Instant> fromEnvironment() {
    return parse(System.getenv("SOURCE_DATE_EPOCH"));
  }

  static Optional<Instant> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds < 0) {
        throw new NumberFormatException("negative");
      }
      return Optional.of(Instant.ofEpochSecond(seconds));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH='"
              + value
              + "' is not a number of seconds since 1970-01-01 (unset it, or use e.g."
              + " SOURCE_DATE_EPOCH=$(git log -1 --format=%ct))");
    }
  }
}
