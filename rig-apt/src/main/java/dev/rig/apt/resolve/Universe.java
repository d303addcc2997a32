package dev.rig.apt.resolve;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All installable packages for one native architecture, indexed by name and by provided name.
 * Packages of other architectures are left out: this first resolver installs native and {@code all}
 * packages only.
 */
public final class Universe {
  /** A package offering a virtual name, with the version it provides (if versioned). */
  public record Provider(PackageRecord pkg, PackageRef provided) {}

  private final String nativeArch;
  private final Map<String, List<PackageRecord>> byName;
  private final Map<String, List<Provider>> providers;

  private Universe(
      String nativeArch,
      Map<String, List<PackageRecord>> byName,
      Map<String, List<Provider>> providers) {
    this.nativeArch = nativeArch;
    this.byName = byName;
    this.providers = providers;
  }

  /**
   * Builds the index. The same name, version and architecture seen twice (the same package in two
   * suites) counts once, keeping the first, so earlier sources win deterministically.
   */
  public static Universe of(String nativeArch, Collection<PackageRecord> packages) {
    Map<String, List<PackageRecord>> byName = new HashMap<>();
    Map<String, List<Provider>> providers = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (PackageRecord p : packages) {
      if (!p.architecture().equals(nativeArch) && !p.architecture().equals("all")) {
        continue;
      }
      if (!seen.add(p.name() + "\0" + p.version() + "\0" + p.architecture())) {
        continue;
      }
      byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
      for (PackageRef provided : p.provides()) {
        providers
            .computeIfAbsent(provided.name(), k -> new ArrayList<>())
            .add(new Provider(p, provided));
      }
    }
    // Highest version first; equal versions keep source order (a stable sort).
    Comparator<PackageRecord> newestFirst =
        Comparator.comparing(PackageRecord::version, Comparator.reverseOrder());
    Map<String, List<PackageRecord>> frozen = new HashMap<>();
    byName.forEach((k, v) -> frozen.put(k, v.stream().sorted(newestFirst).toList()));
    Map<String, List<Provider>> frozenProviders = new HashMap<>();
    providers.forEach(
        (k, v) ->
            frozenProviders.put(
                k,
                v.stream()
                    .sorted(
                        Comparator.comparing((Provider pr) -> !pr.pkg().essential())
                            .thenComparingInt(pr -> priorityRank(pr.pkg().priority()))
                            .thenComparing(pr -> pr.pkg().name())
                            .thenComparing(pr -> pr.pkg().version(), Comparator.reverseOrder()))
                    .toList()));
    return new Universe(nativeArch, Map.copyOf(frozen), Map.copyOf(frozenProviders));
  }

  /**
   * Up to {@code limit} package names (real or provided) that look like {@code name}: at most a
   * quarter of its length (or two) edits away, the closest first. For "did you mean" in an error.
   */
  public List<String> closeNames(String name, int limit) {
    int allowed = Math.max(2, name.length() / 4);
    Map<String, Integer> scored = new HashMap<>();
    Set<String> all = new HashSet<>(byName.keySet());
    all.addAll(providers.keySet());
    for (String candidate : all) {
      if (Math.abs(candidate.length() - name.length()) > allowed) {
        continue;
      }
      int distance = EditDistance.of(name, candidate, allowed);
      if (distance <= allowed) {
        scored.put(candidate, distance);
      }
    }
    return scored.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  public String nativeArch() {
    return nativeArch;
  }

  /** Every version of a real package, newest first. */
  public List<PackageRecord> versions(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /**
   * Priority as apt ranks providers of a virtual package: required first, extra (and anything
   * unknown) last.
   */
  public static int priorityRank(String priority) {
    return switch (priority.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "required" -> 0;
      case "important" -> 1;
      case "standard" -> 2;
      case "optional" -> 3;
      case "extra" -> 4;
      default -> 5;
    };
  }

  /**
   * Packages that provide {@code name}, in apt's order of preference (its CompareProviders):
   * Essential ones first, then by Priority, then by provider name, then newest first. apt's last
   * tie-break is its cache's internal package id, which rig replaces with the name so that the
   * choice does not depend on index order. (A real package of the name itself is preferred before
   * any provider; that is the resolver's job, since it is not in this list.)
   */
  public List<Provider> providers(String name) {
    return providers.getOrDefault(name, List.of());
  }

  /** The newest version of every package marked Essential: yes, by name. */
  public List<PackageRecord> essential() {
    return byName.values().stream()
        .map(v -> v.get(0))
        .filter(PackageRecord::essential)
        .sorted(Comparator.comparing(PackageRecord::name))
        .toList();
  }
}
