package dev.rig.init.config;

import java.time.Duration;

/**
 * Per-service restart rule with exponential backoff. nimi has one global policy with a fixed delay;
 * a flapping GPU service should back off instead of hammering the driver.
 *
 * @param maxRestarts consecutive restarts allowed before the service is reported failed; null means
 *     unlimited
 * @param resetAfter a run that lasted at least this long resets the consecutive-restart count
 */
public record RestartSpec(
    RestartPolicy policy,
    Integer maxRestarts,
    Duration initialDelay,
    Duration maxDelay,
    Duration resetAfter) {

  public static final RestartSpec DEFAULT = new RestartSpec(null, null, null, null, null);

  public RestartSpec {
    policy = policy == null ? RestartPolicy.ON_FAILURE : policy;
    if (maxRestarts == null && policy != RestartPolicy.ALWAYS) {
      maxRestarts = 5; // a crash-looping service should end up visibly failed
    }
    initialDelay = initialDelay == null ? Duration.ofSeconds(1) : initialDelay;
    maxDelay = maxDelay == null ? Duration.ofSeconds(30) : maxDelay;
    resetAfter = resetAfter == null ? Duration.ofMinutes(1) : resetAfter;
  }

  /**
   * The shortest delay before a restart, whatever the spec says. A delay that rounds to 0 ms (a
   * restartDelay of 0.0001) doubles to 0 ms for ever: a crash loop then restarts as fast as the
   * machine can fork (299 starts in 4 s were seen), burning CPU and flooding the log.
   */
  public static final Duration MIN_DELAY = Duration.ofMillis(100);

  /**
   * The delay before restart number {@code attempt} (1-based): initial × 2^(attempt−1), capped by
   * maxDelay, never below {@link #MIN_DELAY}.
   */
  public Duration delayBefore(int attempt) {
    long floor = MIN_DELAY.toMillis();
    long cap = Math.max(maxDelay.toMillis(), floor);
    long ms = Math.max(initialDelay.toMillis(), floor);
    for (int i = 1; i < attempt && ms < cap; i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, cap));
  }

  /** Whether one more restart is allowed after {@code restartsSoFar} consecutive ones. */
  public boolean allows(int restartsSoFar) {
    return maxRestarts == null || restartsSoFar < maxRestarts;
  }
}
