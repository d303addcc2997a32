package dev.rig.oci.net;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How every HTTP client in rig treats a faulty network: the retry policy, and the idle timeout (how
 * long one read may wait for the next byte before the transfer counts as stalled).
 *
 * <p>The idle timeout defaults to 60 s and is set with {@value #IDLE_TIMEOUT_ENV} (seconds,
 * fractions allowed), so that tests and soak benches can make stalls show in a second.
 */
public record NetSettings(RetryPolicy retry, Duration idleTimeout) {
  public static final String IDLE_TIMEOUT_ENV = "RIG_NET_IDLE_TIMEOUT";
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public NetSettings {
    Objects.requireNonNull(retry, "retry");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive, got " + idleTimeout);
    }
  }

  public static NetSettings defaults() {
    return new NetSettings(RetryPolicy.defaults(), DEFAULT_IDLE_TIMEOUT);
  }

  /** The defaults, with the idle timeout from this process's environment when it sets one. */
  public static NetSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static NetSettings fromEnvironment(Map<String, String> env) {
    String value = env.get(IDLE_TIMEOUT_ENV);
    if (value == null || value.isBlank()) {
      return defaults();
    }
    try {
      BigDecimal seconds = new BigDecimal(value.strip());
      long millis = seconds.movePointRight(3).longValueExact();
      if (millis <= 0) {
        throw new ArithmeticException();
      }
      return defaults().withIdleTimeout(Duration.ofMillis(millis));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          IDLE_TIMEOUT_ENV
              + "="
              + value
              + ": give the idle timeout in seconds, a positive number such as 60 or 0.5");
    }
  }

  public NetSettings withIdleTimeout(Duration value) {
    return new NetSettings(retry, value);
  }

  public NetSettings withRetry(RetryPolicy value) {
    return new NetSettings(value, idleTimeout);
  }
}
