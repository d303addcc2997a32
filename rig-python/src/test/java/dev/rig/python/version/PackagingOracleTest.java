package dev.rig.python.version;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.python.marker.Marker;
import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.testkit.Exec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEP 440 and PEP 508 against the packaging library pip itself uses: thousands of generated
 * versions, specifier checks, filters (with the pre-release rule) and markers, answered by one
 * Python process and by rig, must agree one for one. The generator is seeded, so a failure
 * reproduces.
 */
class PackagingOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "<", ">", "~=", "==="};

  @Test
  void versionsSpecifiersAndMarkersAgreeWithPipsPackaging(@TempDir Path dir) throws Exception {
    Random random = new Random(440508);
    List<String> versions = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    while (versions.size() < 300) {
      String v = version(random);
      if (seen.add(v)) {
        versions.add(v);
      }
    }
    List<List<String>> checks = new ArrayList<>();
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String spec = specifier(random, versions);
      if (random.nextInt(4) == 0) {
        spec = spec + "," + specifier(random, versions);
      }
      checks.add(List.of(spec, versions.get(random.nextInt(versions.size()))));
      if (i % 20 == 0) {
        filters.add(spec);
      }
    }
    filters.add("");
    List<Object> markers = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      Map<String, String> env = environment(random);
      markers.add(List.of(marker(random, 0), env));
    }
    Map<String, Object> question = new LinkedHashMap<>();
    question.put("versions", versions);
    question.put("checks", checks);
    question.put("filters", filters);
    question.put("markers", markers);
    Path file = dir.resolve("question.json");
    JSON.writeValue(file.toFile(), question);
    Path script = dir.resolve("packaging_oracle.py");
    try (InputStream in = getClass().getResourceAsStream("packaging_oracle.py")) {
      Files.copy(in, script);
    }
    JsonNode answer =
        JSON.readTree(
            Exec.run(
                    List.of("/usr/bin/python3", script.toString(), file.toString()),
                    Map.of(),
                    dir,
                    Duration.ofSeconds(60))
                .ok()
                .stdout());

    List<Version> parsed = versions.stream().map(Version::parse).toList();
    assertEquals(texts(answer.path("normalized")), parsed.stream().map(Version::toString).toList());
    assertEquals(
        texts(answer.path("sorted")), parsed.stream().sorted().map(Version::toString).toList());

    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      SpecifierSet spec = SpecifierSet.parse(checks.get(i).get(0));
      Version v = Version.parse(checks.get(i).get(1));
      JsonNode expected = answer.path("checks").get(i);
      if (spec.matchesIgnoringPreReleases(v) != expected.get(0).asBoolean()
          || spec.contains(v, false) != expected.get(1).asBoolean()) {
        wrong.add(checks.get(i) + " pip says " + expected);
      }
    }
    for (int i = 0; i < filters.size(); i++) {
      List<String> rig =
          SpecifierSet.parse(filters.get(i)).filter(parsed).stream()
              .map(Version::toString)
              .toList();
      List<String> pip = texts(answer.path("filters").get(i));
      if (!rig.equals(pip)) {
        wrong.add("filter " + filters.get(i) + " rig " + rig + " pip " + pip);
      }
    }
    for (int i = 0; i < markers.size(); i++) {
      @SuppressWarnings("unchecked")
      List<Object> m = (List<Object>) markers.get(i);
      @SuppressWarnings("unchecked")
      Map<String, String> env = (Map<String, String>) m.get(1);
      boolean rig = Marker.parse((String) m.get(0)).evaluate(new MarkerEnvironment(env));
      if (rig != answer.path("markers").get(i).asBoolean()) {
        wrong.add("marker " + m.get(0) + " on " + env + " pip says " + !rig);
      }
    }
    assertEquals(
        List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " disagreements");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String version(Random r) {
    StringBuilder s = new StringBuilder();
    if (r.nextInt(12) == 0) {
      s.append(1 + r.nextInt(2)).append('!');
    }
    int parts = 1 + r.nextInt(3);
    int[] values = {0, 1, 2, 10};
    for (int i = 0; i < parts; i++) {
      s.append(i == 0 ? "" : ".").append(values[r.nextInt(values.length)]);
    }
    if (r.nextInt(5) == 0) {
      s.append(new String[] {"a", "b", "rc", "alpha", "c", "-beta", ".pre"}[r.nextInt(7)])
          .append(r.nextInt(3));
    }
    if (r.nextInt(6) == 0) {
      s.append(new String[] {".post", "-", "post", ".rev"}[r.nextInt(4)]).append(r.nextInt(3));
    }
    if (r.nextInt(6) == 0) {
      s.append(new String[] {".dev", "dev", "-dev"}[r.nextInt(3)]).append(r.nextInt(3));
    }
    if (r.nextInt(10) == 0) {
      s.append('+').append(new String[] {"cpu", "1", "abc.5", "cu124", "01"}[r.nextInt(5)]);
    }
    return s.toString();
  }

  private static String specifier(Random r, List<String> versions) {
    String op = OPERATORS[r.nextInt(OPERATORS.length)];
    Version v = Version.parse(versions.get(r.nextInt(versions.size())));
    String text = v.toString();
    if (op.equals("===")) {
      return op + text;
    }
    boolean wildcard = (op.equals("==") || op.equals("!=")) && r.nextInt(4) == 0;
    if (wildcard || !(op.equals("==") || op.equals("!="))) {
      text = v.publicVersion().toString();
    }
    if (wildcard) {
      text = v.baseVersion().toString() + ".*";
    }
    if (op.equals("~=") && v.release().length < 2) {
      text = v.publicVersion().toString().replaceFirst("^([0-9]+!)?([0-9]+)", "$1$2.0");
    }
    return op + text;
  }

  private static Map<String, String> environment(Random r) {
    Map<String, String> env = new LinkedHashMap<>();
    String minor = String.valueOf(8 + r.nextInt(6));
    env.put("python_version", "3." + minor);
    // No pre-release interpreters: pip 23.0's packaging 21.3 lets no marker clause match one
    // (packaging 22 and PEP 508 do); an image's Python is a final release.
    env.put("python_full_version", "3." + minor + "." + r.nextInt(3));
    env.put("platform_machine", r.nextBoolean() ? "x86_64" : "aarch64");
    env.put("sys_platform", r.nextInt(4) == 0 ? "win32" : "linux");
    env.put("os_name", "posix");
    env.put("platform_system", "Linux");
    env.put("implementation_name", "cpython");
    env.put("platform_python_implementation", "CPython");
    env.put("extra", new String[] {"", "cuda", "test"}[r.nextInt(3)]);
    return env;
  }

  private static String marker(Random r, int depth) {
    int kind = depth > 2 ? 0 : r.nextInt(5);
    if (kind == 3) {
      return marker(r, depth + 1) + (r.nextBoolean() ? " and " : " or ") + marker(r, depth + 1);
    }
    if (kind == 4) {
      return "("
          + marker(r, depth + 1)
          + (r.nextBoolean() ? " and " : " or ")
          + marker(r, depth + 1)
          + ")";
    }
    switch (r.nextInt(6)) {
      case 0:
        return "python_version "
            + new String[] {"<", ">=", "==", "!=", "~=", ">"}[r.nextInt(6)]
            + " '3."
            + (8 + r.nextInt(6))
            + "'";
      case 1:
        return "python_full_version "
            + new String[] {"<", ">=", "==", "!="}[r.nextInt(4)]
            + " \"3."
            + (8 + r.nextInt(6))
            + "."
            + r.nextInt(3)
            + "\"";
      case 2:
        return "platform_machine "
            + new String[] {"==", "!=", "in", "not in"}[r.nextInt(4)]
            + " '"
            + new String[] {"x86_64", "aarch64", "x86_64 aarch64", "arm"}[r.nextInt(4)]
            + "'";
      case 3:
        return "sys_platform "
            + (r.nextBoolean() ? "==" : "!=")
            + " '"
            + (r.nextBoolean() ? "linux" : "win32")
            + "'";
      case 4:
        // Lower case only: rig compares extras normalized (PEP 685, pip 23.3 on), pip 23.0 as
        // written.
        return "extra == '" + new String[] {"cuda", "test", "nope"}[r.nextInt(3)] + "'";
      default:
        return "'linux' " + (r.nextBoolean() ? "in" : "not in") + " sys_platform";
    }
  }
}
