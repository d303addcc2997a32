package dev.rig.build.packages;

import dev.rig.apt.control.Dependency;
import dev.rig.apt.control.DependencyParser;
import dev.rig.apt.control.PackageRef;
import dev.rig.apt.control.Stanza;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The packages whose files must be in an empty root before dpkg can install a package set there:
 * what dpkg itself and the maintainer scripts may rely on before anything is configured. Debian
 * policy lets every script rely on the Essential packages, and a preinst (which runs before its own
 * package is unpacked) on the package's Pre-Depends too; so the set is the Essential packages and
 * every package's Pre-Depends, closed over Depends and Pre-Depends (the libraries that dpkg, the
 * shell and perl load). Where a dependency has alternatives, every one in the package set counts: a
 * larger set only costs unpacking time, a smaller one could leave a script without its tool.
 */
final class BootstrapSet {
  private BootstrapSet() {}

  /**
   * @param controls the control stanzas of the packages about to be installed
   * @return the names of those to unpack before dpkg runs, sorted
   */
  static Set<String> of(Collection<Stanza> controls) throws PackageException {
    Map<String, Stanza> byName = new HashMap<>();
    Map<String, List<String>> providers = new HashMap<>();
    for (Stanza control : controls) {
      String name = control.require("Package").strip();
      byName.put(name, control);
      providers.computeIfAbsent(name, k -> new ArrayList<>()).add(name);
      for (Dependency provided : dependencies(control, "Provides")) {
        for (PackageRef ref : provided.alternatives()) {
          providers.computeIfAbsent(ref.name(), k -> new ArrayList<>()).add(name);
        }
      }
    }
    Deque<String> todo = new ArrayDeque<>();
    for (Stanza control : controls) {
      if (control.get("Essential").map(v -> v.strip().equalsIgnoreCase("yes")).orElse(false)) {
        todo.add(control.require("Package").strip());
      }
      for (Dependency pre : dependencies(control, "Pre-Depends")) {
        pre.alternatives()
            .forEach(ref -> todo.addAll(providers.getOrDefault(ref.name(), List.of())));
      }
    }
    Set<String> closed = new TreeSet<>();
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!closed.add(name)) {
        continue;
      }
      Stanza control = byName.get(name);
      for (String field : List.of("Pre-Depends", "Depends")) {
        for (Dependency dep : dependencies(control, field)) {
          dep.alternatives()
              .forEach(ref -> todo.addAll(providers.getOrDefault(ref.name(), List.of())));
        }
      }
    }
    return closed;
  }

  private static List<Dependency> dependencies(Stanza control, String field)
      throws PackageException {
    try {
      return DependencyParser.parse(control.get(field).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new PackageException(
          "package "
              + control.get("Package").orElse("?").strip()
              + ": its "
              + field
              + " field cannot be read ("
              + e.getMessage()
              + "); the .deb is damaged or not a Debian binary package");
    }
  }
}
