package dev.rig.build.lock;

import java.util.Comparator;
import java.util.List;

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

  /** Whether this lock still fits the spec's current input, and if not, what changed. */
  public LockCheck check(LockInput current) {
    return new LockCheck(current.changesSince(input));
  }
}
