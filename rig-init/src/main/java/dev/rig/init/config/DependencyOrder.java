package dev.rig.init.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Orders services so that each comes after everything it depends on. Ties keep declaration order,
 * so the start order is predictable from the file. Stop order is the reverse.
 */
public final class DependencyOrder {
  private DependencyOrder() {}

  /** The start order; callers validate first (unknown names and cycles are rejected there). */
  public static List<String> startOrder(Map<String, ServiceSpec> services) {
    List<String> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String name : services.keySet()) {
      visit(name, services, done, new HashSet<>(), order);
    }
    return List.copyOf(order);
  }

  public static List<String> stopOrder(Map<String, ServiceSpec> services) {
    List<String> order = new ArrayList<>(startOrder(services));
    java.util.Collections.reverse(order);
    return List.copyOf(order);
  }

  private static void visit(
      String name,
      Map<String, ServiceSpec> services,
      Set<String> done,
      Set<String> onPath,
      List<String> order) {
    if (done.contains(name) || !services.containsKey(name) || !onPath.add(name)) {
      return;
    }
    for (String dep : services.get(name).dependsOn()) {
      visit(dep, services, done, onPath, order);
    }
    done.add(name);
    order.add(name);
  }

  /** One dependency cycle as a path (a → b → a), if there is any. */
  public static Optional<List<String>> findCycle(Map<String, ServiceSpec> services) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = finished
    for (String start : services.keySet()) {
      List<String> path = new ArrayList<>();
      Optional<List<String>> cycle = cycleFrom(start, services, state, path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> cycleFrom(
      String name,
      Map<String, ServiceSpec> services,
      Map<String, Integer> state,
      List<String> path) {
    Integer s = state.get(name);
    if (s != null && s == 2 || !services.containsKey(name)) {
      return Optional.empty();
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return Optional.of(List.copyOf(cycle));
    }
    state.put(name, 1);
    path.add(name);
    for (String dep : services.get(name).dependsOn()) {
      Optional<List<String>> cycle = cycleFrom(dep, services, state, path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    return Optional.empty();
  }

  /** Every service that depends on {@code name}, directly or through others. */
  public static Set<String> dependentsOf(String name, Map<String, ServiceSpec> services) {
    Set<String> found = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, ServiceSpec> e : services.entrySet()) {
        if (found.contains(e.getKey())) {
          continue;
        }
        for (String dep : e.getValue().dependsOn()) {
          if (dep.equals(name) || found.contains(dep)) {
            found.add(e.getKey());
            grew = true;
            break;
          }
        }
      }
    }
    return found;
  }
}
