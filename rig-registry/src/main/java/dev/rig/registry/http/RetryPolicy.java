package dev.rig.registry.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long to wait before trying a request again: jittered exponential backoff, capped,
 * with the server's Retry-After taking precedence.
 *
 * @param maxAttempts tries in all, the first included
 * @param baseDelay the wait after the first failure (doubled after each further one)
 * @param maxDelay no wait is longer than this, whatever the server asks
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  /** Statuses that mean "try again later"; anything else is the client's fault or final. */
  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  public boolean isRetryable(int status) {
    return RETRYABLE.contains(status);
  }

  /**
   * The wait before attempt {@code attempt + 1}: full jitter over {@code base * 2^(attempt-1)}, so
   * parallel uploads that failed together do not come back together.
   */
  public Duration backoff(int attempt) {
    long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
    long half = cap / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  /** The wait the server asked for (Retry-After in seconds), capped at {@link #maxDelay}. */
  public Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                long seconds = Long.parseLong(value.strip());
                return Optional.of(
                    Duration.ofSeconds(Math.max(0, Math.min(seconds, maxDelay.toSeconds()))));
              } catch (NumberFormatException e) {
                // An HTTP date: rare from registries; fall back to our own backoff.
                return Optional.empty();
              }
            });
  }
}
