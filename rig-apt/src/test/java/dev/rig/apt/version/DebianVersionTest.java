package dev.rig.apt.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianVersionTest {

  /** Versions chosen to hit every branch of dpkg's comparison. */
  static final List<String> TRICKY =
      List.of(
          "0",
          "1",
          "1.0",
          "1.0-0",
          "0:1.0",
          "1.0-1",
          "1.0-1.1",
          "1.0-1+b1",
          "1.0-1~bpo1",
          "1.0~rc1",
          "1.0~rc1-1",
          "1.0~~",
          "1.0~~a",
          "1.0~",
          "1.0+",
          "1.0+dfsg",
          "1.0+dfsg-1",
          "1.0.1",
          "1.00",
          "1.000.0",
          "1.0a",
          "1.0A",
          "1.0.a",
          "1.0-a",
          "1.0-A",
          "1.0b",
          "1.01",
          "1.1",
          "1.10",
          "1.9",
          "1.9.9",
          "2:1",
          "1:9",
          "1:1.0",
          "10:0",
          "2.36-9+deb12u4",
          "2.36-9",
          "2.36-9+deb12u10",
          "2.36-10",
          "1.2.3-4ubuntu0.1",
          "1.2.3-4ubuntu0.10",
          "1.2.3-4build1",
          "9.9.9",
          "1:0.0~git20230101.abc-1",
          "0.0~git20230101.abc-1",
          "1.0.0-1-1",
          "1.0.0-1",
          "a",
          "a1",
          "1a",
          "1~",
          "1+",
          "1.",
          "1-",
          "000123",
          "123",
          "1.2+really1.1-1",
          "1.2-1.1~deb12u1",
          "12.4.99~12.4.131-1",
          "550.163.01-2");

  @Test
  void agreesWithDpkgOnEveryPairOfTrickyVersions(@TempDir Path dir) throws Exception {
    Tools.require("dpkg", "dpkg");
    List<String> versions = TRICKY.stream().filter(v -> !v.endsWith("-")).toList();
    StringBuilder pairs = new StringBuilder();
    List<String[]> order = new ArrayList<>();
    for (String a : versions) {
      for (String b : versions) {
        pairs.append(a).append(' ').append(b).append('\n');
        order.add(new String[] {a, b});
      }
    }
    Path input = dir.resolve("pairs");
    Files.writeString(input, pairs);
    // One shell loop instead of thousands of JVM forks: dpkg itself is the oracle for each pair.
    String script =
        "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo lt;"
            + " elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo eq; else echo gt; fi;"
            + " done < \"$1\"";
    Exec.Result r =
        Exec.run(
                List.of("sh", "-c", script, "sh", input.toString()),
                Map.of("LC_ALL", "C"),
                null,
                Duration.ofMinutes(3))
            .ok();
    String[] answers = r.stdout().strip().split("\n");
    assertEquals(order.size(), answers.length, r.stderr());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      String[] p = order.get(i);
      int c = DebianVersion.parse(p[0]).compareTo(DebianVersion.parse(p[1]));
      String ours = c < 0 ? "lt" : c == 0 ? "eq" : "gt";
      if (!ours.equals(answers[i])) {
        mismatches.add(p[0] + " vs " + p[1] + ": dpkg " + answers[i] + ", rig " + ours);
      }
    }
    assertTrue(order.size() > 3000, "too few pairs: " + order.size());
    assertEquals(List.of(), mismatches);
  }

  @Test
  void parsesParts() {
    assertEquals(
        new DebianVersion(1, "0.0~git20230101.abc", "1"),
        DebianVersion.parse("1:0.0~git20230101.abc-1"));
    assertEquals(new DebianVersion(1, "2.0-1:4", "5"), DebianVersion.parse("1:2.0-1:4-5"));
    DebianVersion v = DebianVersion.parse("1.0.0-1-1");
    assertEquals("1.0.0-1", v.upstream());
    assertEquals("1", v.revision());
    assertEquals("2:1.0-3", DebianVersion.parse("2:1.0-3").toString());
    assertTrue(DebianVersion.parse("1.0").sameAs(DebianVersion.parse("0:1.0-0")));
  }

  @Test
  void rejectsMalformedVersions() {
    assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(""));
    assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse("x:1.0"));
    assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse("1.0-"));
    assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse("1:"));
    assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse("1.0 2"));
  }

  @Test
  void relationsFollowDpkgOperators() {
    DebianVersion one = DebianVersion.parse("1.0");
    DebianVersion rc = DebianVersion.parse("1.0~rc1");
    assertTrue(Relation.parse("<<").holds(rc, one));
    assertTrue(Relation.parse("<=").holds(one, one));
    assertTrue(Relation.parse("=").holds(DebianVersion.parse("0:1.0"), one));
    assertTrue(Relation.parse(">=").holds(one, rc));
    assertTrue(Relation.parse(">>").holds(DebianVersion.parse("2:1"), DebianVersion.parse("1:9")));
    assertTrue(Relation.parse("<").holds(one, one), "obsolete < means <=");
    assertThrows(IllegalArgumentException.class, () -> Relation.parse("=="));
    assertEquals(">= 1.0", new VersionConstraint(Relation.LATER_OR_EQUAL, one).toString());
  }
}
