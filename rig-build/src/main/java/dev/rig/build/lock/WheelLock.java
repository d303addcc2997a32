package dev.rig.build.lock;

import java.util.Comparator;
import java.util.List;

/** The locked wheels of one image's venv, sorted by name, and the input they came from. */
public record WheelLock(WheelInput input, List<LockedWheel> wheels) {
  public WheelLock {
    wheels =
        wheels.stream()
            .sorted(Comparator.comparing(LockedWheel::name).thenComparing(LockedWheel::filename))
            .toList();
  }

  public LockCheck check(WheelInput current) {
    return new LockCheck(current.changesSince(input));
  }
}
