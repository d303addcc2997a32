package dev.rig.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * rig-init's packages depend on each other one way only (STYLE.md: no package cycles). Reads the
 * package graph of the compiled classes with the JDK's own jdeps, so a new import that closes a
 * loop fails here rather than in a review.
 */
class PackageCyclesTest {
  private static final Pattern EDGE =
      Pattern.compile("^\\s+(dev\\.rig\\.init\\S*)\\s+->\\s+(dev\\.rig\\.init\\S*)\\s");

  @Test
  void rigInitPackagesHaveNoCycle() throws Exception {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new AssertionError("jdeps is missing: run the tests on a full JDK"));
    StringWriter out = new StringWriter();
    int code =
        jdeps.run(
            new PrintWriter(out), new PrintWriter(out), "-verbose:package", classes.toString());
    assertEquals(0, code, out.toString());
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(1).equals(m.group(2))) {
        graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    assertTrue(graph.containsKey("dev.rig.init"), "jdeps found no rig-init packages:\n" + out);
    assertEquals(Optional.empty(), cycle(graph), "package graph: " + graph);
  }

  /** One cycle as a path (a, b, a), if the graph has any. */
  private static Optional<List<String>> cycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (String start : graph.keySet()) {
      Optional<List<String>> c = visit(start, graph, state, new ArrayList<>());
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> visit(
      String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return Optional.empty();
    }
    if (s != null && s == 1) {
      List<String> c = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      c.add(node);
      return Optional.of(c);
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, new HashSet<>())) {
      Optional<List<String>> c = visit(next, graph, state, path);
      if (c.isPresent()) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return Optional.empty();
  }
}
