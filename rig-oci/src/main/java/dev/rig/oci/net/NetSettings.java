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
 * fractions allowed), so that tests and soak benches can make stalls show in a second. How many
 * times a request is tried in all defaults to 5 and is set with {@value #ATTEMPTS_ENV}.
 */
public record NetSettings(RetryPolicy retry, Duration idleTimeout) {
  public static final String IDLE_TIMEOUT_ENV = "RIG_NET_IDLE_TIMEOUT";
  public static final String ATTEMPTS_ENV = "RIG_NET_ATTEMPTS";
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

  /** The defaults, with the idle timeout and attempts from this process's environment. */
  public static NetSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static NetSettings fromEnvironment(Map<String, String> env) {
    NetSettings settings = defaults();
    String attempts = env.get(ATTEMPTS_ENV);
    if (attempts != null && !attempts.isBlank()) {
      int tries;
      try {
        tries = Integer.parseInt(attempts.strip());
      } catch (NumberFormatException e) {
        tries = 0;
      }
      if (tries < 1 || tries > 100) {
        throw new IllegalArgumentException(
            ATTEMPTS_ENV
                + "="
                + attempts
                + ": give how many times a request is tried in all, a number from 1 to 100");
      }
      RetryPolicy retry = settings.retry();
      settings = settings.withRetry(new RetryPolicy(tries, retry.baseDelay(), retry.maxDelay()));
    }
    String value = env.get(IDLE_TIMEOUT_ENV);
    if (value == null || value.isBlank()) {
      return settings;
    }
    try {
      BigDecimal seconds = new BigDecimal(value.strip());
      long millis = seconds.movePointRight(3).longValueExact();
      if (millis <= 0) {
        throw new ArithmeticException();
      }
      return settings.withIdleTimeout(Duration.ofMillis(millis));
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
