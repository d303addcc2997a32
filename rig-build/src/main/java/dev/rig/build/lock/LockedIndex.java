package dev.rig.build.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * A Packages index a resolution read, by URL and the SHA-256 signed in its Release file.
 *
 * @param date the Release file's {@code Date} (ISO-8601), when it had one: when the archive last
 *     changed, and so the time an image built from this lock says it was made when
 *     SOURCE_DATE_EPOCH is not set; absent in locks written before rig recorded it
 */
public record LockedIndex(
    String url, String sha256, @JsonInclude(JsonInclude.Include.NON_NULL) String date) {
  public LockedIndex(String url, String sha256) {
    this(url, sha256, null);
  }

  public Optional<Instant> releaseDate() {
    try {
      return Optional.ofNullable(date).map(Instant::parse);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
