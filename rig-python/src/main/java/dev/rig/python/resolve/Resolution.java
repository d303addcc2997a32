package dev.rig.python.resolve;

import dev.rig.python.lock.LockedWheel;
import java.util.Comparator;
import java.util.List;

/** What the resolver chose: one wheel per project, sorted by name. */
public record Resolution(List<LockedWheel> wheels) {
  public Resolution {
    wheels = wheels.stream().sorted(Comparator.comparing(LockedWheel::name)).toList();
  }
}
