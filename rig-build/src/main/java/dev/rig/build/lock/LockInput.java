package dev.rig.build.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rig.apt.resolve.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of the spec that decides an image's install set. A lock is valid while this stays the
 * same; {@link #changesSince} says in words what differs, so a user knows why a re-lock is needed.
 *
 * @param packages requests as written ({@code name} or {@code name=version}); stored sorted
 * @param repositories in declaration order (precedence)
 * @param base for packages installed on a base image: the identity of the base's filesystem (sha256
 *     over its layers' diffIDs) they were resolved against; empty for an image of rig's packages
 *     alone
 */
public record LockInput(
    String architecture,
    List<String> packages,
    List<LockedRepository> repositories,
    boolean installRecommends,
    boolean addEssential,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String base) {

  /** Packages resolved for an empty system. */
  public LockInput(
      String architecture,
      List<String> packages,
      List<LockedRepository> repositories,
      boolean installRecommends,
      boolean addEssential) {
    this(architecture, packages, repositories, installRecommends, addEssential, "");
  }

  public LockInput {
    Objects.requireNonNull(architecture, "architecture");
    base = base == null ? "" : base;
    packages = packages.stream().map(String::strip).distinct().sorted().toList();
    repositories = List.copyOf(repositories);
  }

  /**
   * Whether this input only adds requests to {@code locked}: same architecture, repositories and
   * options, every request of it still here as written. A build may then extend the lock, holding
   * every locked package, as `rig update` with nothing to move would.
   */
  public boolean onlyAddsTo(LockInput locked) {
    return architecture.equals(locked.architecture)
        && repositories.equals(locked.repositories)
        && installRecommends == locked.installRecommends
        && addEssential == locked.addEssential
        && base.equals(locked.base)
        && packages.containsAll(locked.packages)
        && !packages.equals(locked.packages);
  }

  /** What changed from {@code locked} to this input; empty when they match. */
  public List<String> changesSince(LockInput locked) {
    List<String> changes = new ArrayList<>();
    if (!architecture.equals(locked.architecture)) {
      changes.add("architecture changed from " + locked.architecture + " to " + architecture);
    }
    Map<String, Optional<String>> was = requests(locked.packages);
    Map<String, Optional<String>> now = requests(packages);
    for (Map.Entry<String, Optional<String>> e : now.entrySet()) {
      if (!was.containsKey(e.getKey())) {
        changes.add("package added: " + e.getKey() + e.getValue().map(v -> "=" + v).orElse(""));
      } else if (!was.get(e.getKey()).equals(e.getValue())) {
        changes.add(
            "pin of "
                + e.getKey()
                + " changed from "
                + was.get(e.getKey()).map(v -> "=" + v).orElse("(none)")
                + " to "
                + e.getValue().map(v -> "=" + v).orElse("(none)"));
      }
    }
    for (String name : was.keySet()) {
      if (!now.containsKey(name)) {
        changes.add("package removed: " + name);
      }
    }
    if (!repositories.equals(locked.repositories)) {
      for (LockedRepository r : repositories) {
        if (!locked.repositories.contains(r)) {
          changes.add("repository added or changed: " + r);
        }
      }
      for (LockedRepository r : locked.repositories) {
        if (!repositories.contains(r)) {
          changes.add("repository removed or changed: " + r);
        }
      }
      if (changes.isEmpty()) {
        changes.add("repository order changed (it decides which source wins)");
      }
    }
    if (installRecommends != locked.installRecommends) {
      changes.add("installRecommends changed to " + installRecommends);
    }
    if (addEssential != locked.addEssential) {
      changes.add("addEssential changed to " + addEssential);
    }
    if (!base.equals(locked.base)) {
      changes.add(
          base.isEmpty()
              ? "the image no longer installs packages on a base image"
              : "the base image's filesystem changed (now " + base + ")");
    }
    return List.copyOf(changes);
  }

  private static Map<String, Optional<String>> requests(List<String> texts) {
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    for (String t : texts) {
      Request r = Request.parse(t);
      out.put(r.name(), r.pin().map(Object::toString));
    }
    return out;
  }
}
