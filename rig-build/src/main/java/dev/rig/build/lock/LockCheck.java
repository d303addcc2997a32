package dev.rig.build.lock;

import java.util.List;

/** The result of comparing a lock with the spec: the changes found, in words. */
public record LockCheck(List<String> changes) {
  public LockCheck {
    changes = List.copyOf(changes);
  }

  public boolean matches() {
    return changes.isEmpty();
  }

  /** A message for the user: what changed and how to update the lock. */
  public String message(String image) {
    if (matches()) {
      return "rig.lock is up to date for " + image;
    }
    return "rig.lock does not match the spec for image "
        + image
        + ":\n  - "
        + String.join("\n  - ", changes)
        + "\nrun `rig lock` to resolve again";
  }
}
