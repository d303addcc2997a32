package dev.rig.oci;

import java.time.Instant;

/**
 * The one timestamp a build may contain. Layer mtimes and config/history "created" fields all use
 * it, so an image is a function of its inputs and not of the clock. The CLI reads the {@code
 * SOURCE_DATE_EPOCH} environment variable and passes its value here; the core never reads the
 * environment itself.
 */
public final class SourceDateEpoch {
  /** Used when SOURCE_DATE_EPOCH is not set: 1970-01-01T00:00:00Z. */
  public static final Instant DEFAULT = Instant.EPOCH;

  /** The largest mtime a plain ustar header field can hold (11 octal digits). */
  public static final long MAX_SECONDS = 077777777777L;

  private SourceDateEpoch() {}

  /**
   * Parses the value of SOURCE_DATE_EPOCH (decimal seconds since 1970). {@code null} or blank means
   * "not set" and gives {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException when the value is not a decimal number in range
   */
  public static Instant parse(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    String trimmed = value.trim();
    if (!trimmed.matches("[0-9]{1,12}")) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got '"
              + value
              + "'");
    }
    return of(Long.parseLong(trimmed));
  }

  /** Checks that {@code seconds} fits a tar header and returns it as an instant. */
  public static Instant of(long seconds) {
    if (seconds < 0 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH " + seconds + " is out of range 0.." + MAX_SECONDS);
    }
    return Instant.ofEpochSecond(seconds);
  }

  /** Checks that {@code time} is whole seconds in range, as tar mtimes need. */
  public static Instant check(Instant time) {
    if (time.getNano() != 0) {
      throw new IllegalArgumentException("a build timestamp must be whole seconds: " + time);
    }
    return of(time.getEpochSecond());
  }
}
