package dev.rig.oci.net;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long to wait before trying a request again, for every HTTP client in rig (registry
 * and apt alike): jittered exponential backoff, capped, with the server's Retry-After (seconds or
 * an HTTP date) taking precedence.
 *
 * @param maxAttempts tries in all, the first included
 * @param baseDelay the wait after the first failure (doubled after each further one)
 * @param maxDelay no wait is longer than this, whatever the server asks
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (baseDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("retry delays must not be negative");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /**
   * Statuses that mean "try again later": 408, 429 and the 5xx family, except 501 and 505, which
   * say the server will never do what was asked.
   */
  public boolean isRetryable(int status) {
    return status == 408
        || status == 429
        || (status >= 500 && status <= 599 && status != 501 && status != 505);
  }

  /**
   * The wait before attempt {@code attempt + 1}: full jitter over {@code base * 2^(attempt-1)}, so
   * parallel transfers that failed together do not come back together.
   */
  public Duration backoff(int attempt) {
    long cap =
        Math.min(
            maxDelay.toMillis(), baseDelay.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20));
    long half = cap / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  /** The wait before attempt {@code attempt + 1}: the server's Retry-After if any, else backoff. */
  public Duration delay(int attempt, HttpHeaders headers) {
    return retryAfter(headers, Instant.now()).orElseGet(() -> backoff(attempt));
  }

  /** The wait the server asked for, capped at {@link #maxDelay}. */
  public Optional<Duration> retryAfter(HttpHeaders headers) {
    return retryAfter(headers, Instant.now());
  }

  /**
   * Retry-After as delay-seconds or as an HTTP date (RFC 9110), relative to {@code now}, capped at
   * {@link #maxDelay}; empty when absent or unreadable (then our own backoff applies).
   */
  public Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> header = headers.firstValue("Retry-After").map(String::strip);
    if (header.isEmpty() || header.get().isEmpty()) {
      return Optional.empty();
    }
    String value = header.get();
    Duration asked;
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        asked = Duration.ofSeconds(Long.parseLong(value));
      } catch (NumberFormatException e) {
        asked = maxDelay; // more digits than a long holds: "a very long time"
      }
    } else {
      try {
        Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        asked = Duration.between(now, when);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (asked.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(asked.compareTo(maxDelay) > 0 ? maxDelay : asked);
  }
}
