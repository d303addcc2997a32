package dev.rig.build.lock;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The locked packages of one image: the input they were resolved from, the install set, and the
 * indexes read. Lists are sorted so the same lock always serialises to the same bytes.
 */
public record ImageLock(LockInput input, List<LockedPackage> packages, List<LockedIndex> indexes) {
  public ImageLock {
    packages =
        packages.stream()
            .sorted(
                Comparator.comparing(LockedPackage::name)
                    .thenComparing(LockedPackage::architecture))
            .toList();
    indexes = indexes.stream().distinct().sorted(Comparator.comparing(LockedIndex::url)).toList();
  }

  /** The newest Release date among the indexes this lock was resolved from, if they have any. */
  public Optional<Instant> newestReleaseDate() {
    return indexes.stream()
        .map(LockedIndex::releaseDate)
        .flatMap(Optional::stream)
        .max(Comparator.naturalOrder());
  }

  /** Whether this lock still fits the spec's current input, and if not, what changed. */
  public LockCheck check(LockInput current) {
    return new LockCheck(current.changesSince(input));
  }
}
