package dev.rig.python.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.python.index.IndexClient;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.lock.LockedWheel;
import dev.rig.testkit.Exec;
import dev.rig.testkit.TestWheel;
import dev.rig.testkit.WheelIndex;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip as the oracle on generated projects: small universes (eight projects, four versions each,
 * random lower and upper bounds between them) where several answers often exist and clashes need
 * backtracking; rig must land on the very set pip picks (or fail where pip fails), which holds only
 * if rig pins in pip's order and backtracks as pip does. Seeded, so a failure reproduces.
 */
class RandomOracleTest {
  @Test
  void rigPicksWhatPipPicksOnGeneratedProjects(@TempDir Path dir) throws Exception {
    int universes = Integer.getInteger("universes", 30);
    List<WheelIndex> indexes = new ArrayList<>();
    List<List<String>> requests = new ArrayList<>();
    List<List<String>> reqs = new ArrayList<>();
    Random r = new Random(Long.getLong("seed", 11));
    for (int u = 0; u < universes; u++) {
      WheelIndex index = WheelIndex.start();
      indexes.add(index);
      int projects = Integer.getInteger("projects", 8);
      for (int p = 0; p < projects; p++) {
        for (int v = 1; v <= 4; v++) {
          TestWheel w = TestWheel.pure("p" + p, v + ".0");
          for (int q = p + 1; q < projects; q++) {
            if (r.nextInt(3) == 0) {
              int bound = 1 + r.nextInt(4);
              w = w.requires("p" + q + (r.nextBoolean() ? ">=" : "<") + bound + ".0");
            }
          }
          index.add(w, true);
        }
      }
      List<String> req = new ArrayList<>(List.of("p0"));
      if (r.nextBoolean())
        req.add(
            "p" + (1 + r.nextInt(5)) + (r.nextBoolean() ? ">=" : "<") + (1 + r.nextInt(4)) + ".0");
      reqs.add(req);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "install",
                  "--dry-run",
                  "--ignore-installed",
                  "--only-binary=:all:",
                  "--break-system-packages",
                  "--isolated",
                  "--no-cache-dir",
                  "--disable-pip-version-check",
                  "--no-input",
                  "--quiet",
                  "--index-url",
                  index.json().toString(),
                  "--report",
                  dir.resolve("report-" + u + ".json").toString()));
      args.addAll(req);
      requests.add(args);
    }
    Path driver = dir.resolve("pip_oracle.py");
    try (InputStream in = PipOracleTest.class.getResourceAsStream("pip_oracle.py")) {
      Files.copy(in, driver);
    }
    new ObjectMapper().writeValue(dir.resolve("q.json").toFile(), requests);
    Exec.run(
            List.of("/usr/bin/python3", driver.toString(), dir.resolve("q.json").toString()),
            Map.of(),
            dir,
            Duration.ofMinutes(5))
        .ok();
    PythonTarget target = PythonTarget.of("3.11.2", "amd64", "2.36");
    int agree = 0;
    List<String> diffs = new ArrayList<>();
    for (int u = 0; u < universes; u++) {
      String rig;
      try {
        Map<String, String> m = new TreeMap<>();
        for (LockedWheel w :
            new WheelResolver(IndexClient.standard())
                .resolve(reqs.get(u), target, List.of(PackageIndex.of(indexes.get(u).json())))
                .wheels()) m.put(w.name(), w.version());
        rig = m.toString();
      } catch (ResolutionException e) {
        rig = "FAILED";
      }
      Path rep = dir.resolve("report-" + u + ".json");
      String pip = "FAILED";
      if (Files.exists(rep)) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode i : new ObjectMapper().readTree(rep.toFile()).path("install"))
          m.put(
              i.path("metadata").path("name").asText(),
              i.path("metadata").path("version").asText());
        pip = m.toString();
      }
      if (rig.equals(pip)) agree++;
      else diffs.add(u + " " + reqs.get(u) + "\n rig " + rig + "\n pip " + pip);
      indexes.get(u).close();
    }
    System.out.println("random pip oracle: rig agreed on " + agree + " of " + universes);
    assertEquals(List.of(), diffs, "rig and pip chose differently");
  }
}
