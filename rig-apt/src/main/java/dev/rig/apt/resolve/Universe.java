package dev.rig.apt.resolve;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
    // Sized for a whole Debian index (about 70,000 names) so that building it never rehashes;
    // this runs on every resolve, including the one that extends a lock by one package.
    Map<String, List<PackageRecord>> byName = new HashMap<>(packages.size() * 2);
    Map<String, List<Provider>> providers = new HashMap<>();
    for (PackageRecord p : packages) {
      if (!p.architecture().equals(nativeArch) && !p.architecture().equals("all")) {
        continue;
      }
      List<PackageRecord> versions = byName.get(p.name());
      if (versions == null) {
        versions = new ArrayList<>(1);
        byName.put(p.name(), versions);
      } else if (seen(versions, p)) {
        continue;
      }
      versions.add(p);
      for (PackageRef provided : p.provides()) {
        providers
            .computeIfAbsent(provided.name(), k -> new ArrayList<>(2))
            .add(new Provider(p, provided));
      }
    }
    // Highest version first; equal versions keep source order (a stable sort).
    Comparator<PackageRecord> newestFirst =
        Comparator.comparing(PackageRecord::version, Comparator.reverseOrder());
    Comparator<Provider> preferred =
        Comparator.comparing((Provider pr) -> !pr.pkg().essential())
            .thenComparingInt(pr -> priorityRank(pr.pkg().priority()))
            .thenComparing(pr -> pr.pkg().name())
            .thenComparing(pr -> pr.pkg().version(), Comparator.reverseOrder());
    for (Map.Entry<String, List<PackageRecord>> e : byName.entrySet()) {
      e.setValue(frozen(e.getValue(), newestFirst));
    }
    for (Map.Entry<String, List<Provider>> e : providers.entrySet()) {
      e.setValue(frozen(e.getValue(), preferred));
    }
    return new Universe(
        nativeArch, Collections.unmodifiableMap(byName), Collections.unmodifiableMap(providers));
  }

  /** Whether the same version and architecture is listed already (the same package twice). */
  private static boolean seen(List<PackageRecord> versions, PackageRecord p) {
    for (PackageRecord q : versions) {
      if (q.version().equals(p.version()) && q.architecture().equals(p.architecture())) {
        return true;
      }
    }
    return false;
  }

  /** The list sorted stably by {@code order}, unmodifiable. */
  private static <T> List<T> frozen(List<T> list, Comparator<T> order) {
    if (list.size() > 1) {
      list.sort(order);
    }
    return List.copyOf(list);
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
