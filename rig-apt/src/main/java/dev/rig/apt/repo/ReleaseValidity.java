package dev.rig.apt.repo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses a signed Release that an attacker could replay or swap in, as apt does: one whose
 * Valid-Until has passed (an old, signed snapshot served to hide updates), one dated in the future
 * (a wrong clock, which would defeat the Valid-Until check), or one whose Suite and Codename both
 * differ from the suite asked for (another suite's Release, signed by the same archive key).
 */
public final class ReleaseValidity {
  /** How far the archive's clock may run ahead of ours before its Date is refused. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final Clock clock;

  public ReleaseValidity(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks a verified Release read from {@code url} for {@code suite}; a flat repository's suite
   * ends in '/' and its Release names no suite, so that comparison is skipped there.
   */
  public void check(String url, String suite, ReleaseFile release) throws ReleaseRefusedException {
    Instant now = clock.instant();
    Optional<Instant> validUntil = release.validUntil();
    if (validUntil.isPresent() && validUntil.get().isBefore(now)) {
      throw new ReleaseRefusedException(
          url
              + ": Valid-Until "
              + validUntil.get()
              + " has passed (now "
              + now
              + "): the mirror serves an expired Release, which may be a replay hiding newer"
              + " packages; use a current mirror, or a snapshot mirror for an old state (its"
              + " Release must carry no expired Valid-Until), and check this machine's clock");
    }
    Optional<Instant> date = release.date();
    if (date.isPresent() && date.get().isAfter(now.plus(CLOCK_SKEW))) {
      throw new ReleaseRefusedException(
          url
              + ": Date "
              + date.get()
              + " lies in the future (now "
              + now
              + ", "
              + CLOCK_SKEW.toMinutes()
              + " minutes of clock skew allowed); check this machine's clock (and the"
              + " mirror's)");
    }
    // Like apt, a Release that names no suite at all cannot conflict with the one asked for.
    if (suite.endsWith("/") || (release.suite().isEmpty() && release.codename().isEmpty())) {
      return;
    }
    boolean suiteMatches = release.suite().map(suite::equals).orElse(false);
    boolean codenameMatches = release.codename().map(suite::equals).orElse(false);
    if (!suiteMatches && !codenameMatches) {
      throw new ReleaseRefusedException(
          url
              + ": asked for suite '"
              + suite
              + "' but the Release says Suite '"
              + release.suite().orElse("(none)")
              + "', Codename '"
              + release.codename().orElse("(none)")
              + "'; another suite's Release was served (a swap), or the suite name is wrong:"
              + " correct the suite name in the sources to one of those");
    }
  }
}
