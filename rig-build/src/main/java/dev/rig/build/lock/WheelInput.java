package dev.rig.build.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of the spec that decides an image's wheels. A wheel lock is valid while this stays the
 * same; {@link #changesSince} says in words what differs.
 *
 * @param python the interpreter the wheels are for, as the image's lock has it (e.g. {@code
 *     python3.13=3.13.5-2})
 * @param requirements the requirements from every source, sorted
 * @param indexes the indexes in order, without credentials
 * @param userLock the SHA-256 of the user's lock file when one is used, else empty
 */
public record WheelInput(
    String python, List<String> requirements, List<String> indexes, String userLock) {
  public WheelInput {
    Objects.requireNonNull(python, "python");
    requirements = requirements.stream().map(String::strip).distinct().sorted().toList();
    indexes = List.copyOf(indexes);
    userLock = userLock == null ? "" : userLock;
  }

  /** What changed from {@code locked} to this input; empty when they match. */
  public List<String> changesSince(WheelInput locked) {
    List<String> changes = new ArrayList<>();
    if (!python.equals(locked.python)) {
      changes.add("the interpreter changed from " + locked.python + " to " + python);
    }
    for (String r : requirements) {
      if (!locked.requirements.contains(r)) {
        changes.add("requirement added or changed: " + r);
      }
    }
    for (String r : locked.requirements) {
      if (!requirements.contains(r)) {
        changes.add("requirement removed or changed: " + r);
      }
    }
    if (!indexes.equals(locked.indexes)) {
      changes.add("indexes changed from " + locked.indexes + " to " + indexes);
    }
    if (!userLock.equals(locked.userLock)) {
      changes.add("the python lockFile changed");
    }
    return List.copyOf(changes);
  }
}
