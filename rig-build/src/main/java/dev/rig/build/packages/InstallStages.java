package dev.rig.build.packages;

import dev.rig.apt.control.Dependency;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import dev.rig.apt.resolve.Request;
import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PackagesSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stages an image's packages are installed in, each configured by dpkg on top of the one below
 * and cached by its own inputs: rig's base (the Essential set, apt, what rig-init needs and the
 * environment's tool sets), then CUDA, then each of the user's requests in spec order (the first
 * {@value #USER_STAGES} each alone, the rest together). A change to the user's last request re-runs
 * only its stage; a change lower down re-runs the stages above it too.
 *
 * <p>Stages are a function of the spec and the lock alone, and a clean build goes through the same
 * stages as a rebuild, so a rebuild gives the bytes a clean build gives.
 */
final class InstallStages {
  /** Requests of the user's that get a stage each; more share the last one. */
  static final int USER_STAGES = 8;

  private InstallStages() {}

  /** A stage as the spec defines it: a name and what it asks for (beyond the stages below). */
  record Requested(String name, List<String> requests) {
    Requested {
      requests = List.copyOf(requests);
    }
  }

  /** A stage with the locked packages it installs, none of which a lower stage installs. */
  record Stage(String name, List<String> packages) {
    Stage {
      packages = List.copyOf(packages);
    }
  }

  /** The stages {@code spec} asks for, lowest first; empty ones are left out. */
  static List<Requested> requested(ImageSpec spec) {
    PackagesSpec packages = spec.packages();
    List<String> base = new ArrayList<>();
    if (packages.includeApt()) {
      base.add("apt");
    }
    if (spec.parts().runtime()) {
      base.addAll(RuntimeLayer.packages(spec.runtime()));
    }
    base.addAll(packages.environment().packages());
    List<Requested> stages = new ArrayList<>();
    stages.add(new Requested("base", base));
    List<String> cuda = CudaSetup.packages(spec);
    if (!cuda.isEmpty()) {
      stages.add(new Requested("cuda", cuda));
    }
    List<String> user = new ArrayList<>();
    packages.requests().forEach(r -> PackagesSpec.addIfAbsent(user, r));
    packages.systemPackages().forEach(r -> PackagesSpec.addIfAbsent(user, r));
    return grouped(stages, user);
  }

  /**
   * {@code below} followed by a stage per user request, in order: the first {@value #USER_STAGES}
   * alone, or when there are more, the first {@value #USER_STAGES} - 1 alone and the rest together.
   */
  static List<Requested> grouped(List<Requested> below, List<String> user) {
    List<Requested> stages = new ArrayList<>(below);
    for (int i = 0; i < user.size(); i++) {
      if (user.size() <= USER_STAGES || i < USER_STAGES - 1) {
        stages.add(new Requested(user.get(i), List.of(user.get(i))));
      } else {
        List<String> rest = user.subList(i, user.size());
        stages.add(new Requested(String.join(" ", rest), rest));
        break;
      }
    }
    return stages;
  }

  /**
   * Splits the locked packages into stages: each takes the dependency closure of its requests
   * within {@code locked} (Pre-Depends, Depends, and Recommends when {@code recommends}), less what
   * lower stages install. The base stage also takes every Essential package; the packages no
   * closure reaches are placed by {@link #placeTheRest}. Stages that get nothing are dropped.
   *
   * @param locked the control data of every locked package, one per name
   */
  static List<Stage> partition(
      List<Requested> requested, List<PackageRecord> locked, boolean recommends) {
    Map<String, PackageRecord> byName = new LinkedHashMap<>();
    locked.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(p -> byName.put(p.name(), p));
    Map<String, List<String>> providers = new HashMap<>();
    for (PackageRecord p : byName.values()) {
      for (PackageRef provided : p.provides()) {
        providers.computeIfAbsent(provided.name(), k -> new ArrayList<>()).add(p.name());
      }
    }
    Set<String> installed = new HashSet<>();
    Map<String, Integer> stageOf = new HashMap<>();
    List<List<String>> taken = new ArrayList<>();
    for (int s = 0; s < requested.size(); s++) {
      Requested stage = requested.get(s);
      Deque<String> queue = new ArrayDeque<>();
      if (s == 0) {
        byName.values().stream().filter(PackageRecord::essential).forEach(p -> queue.add(p.name()));
      }
      for (String request : stage.requests()) {
        String name = Request.parse(request).name();
        int colon = name.indexOf(':');
        queue.add(colon < 0 ? name : name.substring(0, colon));
      }
      List<String> mine = new ArrayList<>();
      while (!queue.isEmpty()) {
        String name = queue.poll();
        PackageRecord p = byName.get(name);
        if (p == null) {
          // A virtual name: the first locked provider, unless one is installed already.
          List<String> names = providers.getOrDefault(name, List.of());
          if (names.stream().noneMatch(installed::contains) && !names.isEmpty()) {
            queue.addFirst(names.get(0));
          }
          continue;
        }
        if (!installed.add(name)) {
          continue;
        }
        mine.add(name);
        stageOf.put(name, s);
        for (Dependency dep : relations(p, recommends)) {
          chosen(dep, byName, providers, installed, queue).ifPresent(queue::add);
        }
      }
      taken.add(mine);
    }
    placeTheRest(byName, providers, recommends, stageOf, taken);
    List<Stage> stages = new ArrayList<>();
    for (int s = 0; s < requested.size(); s++) {
      if (!taken.get(s).isEmpty()) {
        stages.add(new Stage(requested.get(s).name(), taken.get(s).stream().sorted().toList()));
      }
    }
    return stages;
  }

  /**
   * Locked packages no closure reached (the resolver chose them for an alternative this walk
   * satisfied otherwise) go to the lowest stage that holds what they depend on, so every locked
   * package is installed after its dependencies, and adding a stage on top moves none of them.
   */
  private static void placeTheRest(
      Map<String, PackageRecord> byName,
      Map<String, List<String>> providers,
      boolean recommends,
      Map<String, Integer> stageOf,
      List<List<String>> taken) {
    List<String> rest = byName.keySet().stream().filter(n -> !stageOf.containsKey(n)).toList();
    Map<String, Integer> placed = new HashMap<>();
    rest.forEach(n -> placed.put(n, 0));
    // Each round can only raise a stage; as many rounds as packages settle every chain.
    for (int round = 0; round <= rest.size(); round++) {
      boolean moved = false;
      for (String name : rest) {
        int stage = placed.get(name);
        for (Dependency dep : relations(byName.get(name), recommends)) {
          for (PackageRef ref : dep.alternatives()) {
            List<String> candidates = new ArrayList<>(List.of(ref.name()));
            candidates.addAll(providers.getOrDefault(ref.name(), List.of()));
            for (String candidate : candidates) {
              Integer at =
                  stageOf.containsKey(candidate) ? stageOf.get(candidate) : placed.get(candidate);
              if (at != null && at > stage) {
                stage = at;
              }
            }
          }
        }
        if (stage != placed.get(name)) {
          placed.put(name, stage);
          moved = true;
        }
      }
      if (!moved) {
        break;
      }
    }
    int top = taken.size() - 1;
    placed.forEach((name, stage) -> taken.get(Math.min(stage, top)).add(name));
  }

  private static List<Dependency> relations(PackageRecord p, boolean recommends) {
    List<Dependency> deps = new ArrayList<>(p.preDepends());
    deps.addAll(p.depends());
    if (recommends) {
      deps.addAll(p.recommends());
    }
    return deps;
  }

  /**
   * The package that satisfies {@code dep}: none when an alternative is installed or queued
   * already, else the first alternative the lock holds (by name or by what it provides).
   */
  private static Optional<String> chosen(
      Dependency dep,
      Map<String, PackageRecord> byName,
      Map<String, List<String>> providers,
      Set<String> installed,
      Deque<String> queue) {
    for (PackageRef ref : dep.alternatives()) {
      if (installed.contains(ref.name()) || queue.contains(ref.name())) {
        return Optional.empty();
      }
      for (String provider : providers.getOrDefault(ref.name(), List.of())) {
        if (installed.contains(provider) || queue.contains(provider)) {
          return Optional.empty();
        }
      }
    }
    for (PackageRef ref : dep.alternatives()) {
      if (byName.containsKey(ref.name())) {
        return Optional.of(ref.name());
      }
      List<String> names = providers.getOrDefault(ref.name(), List.of());
      if (!names.isEmpty()) {
        return Optional.of(names.get(0));
      }
    }
    return Optional.empty();
  }
}
