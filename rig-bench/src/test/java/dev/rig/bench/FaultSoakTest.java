package dev.rig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of {@code bench/faults}: a small Debian image (the essential set and busybox, from
 * the machine's mirror) pushed, pulled, locked and downloaded 3 times each through the fault proxy
 * at a 30% fault rate, and built with rig killed 4 times. Every operation must complete with
 * correct digests, and the run after the kills must give the clean build's digest from a cache in
 * which every blob matches its name.
 */
class FaultSoakTest {
  @TempDir Path dir;

  @Test
  void everyOperationCompletesThroughFaultsAndAfterKills() throws Exception {
    Path jar = Path.of("..", "rig-cli", "target", "rig-cli.jar").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), jar + " is built before rig-bench's tests");
    Path spec = dir.resolve("seed/rig.yaml");
    Files.createDirectories(spec.getParent());
    Files.writeString(
        spec,
        "images:\n"
            + "  soak:\n"
            + "    packages: [busybox]\n"
            + "    environment: { core: false, dev: false, network: false, shell: false }\n"
            + "    runtime: { enable: false }\n"
            + "    cuda: { enable: false }\n"
            + "    includeApt: false\n"
            + "    slim: { docs: true, manPages: true, locales: true }\n");
    FaultSoak.Setup setup =
        new FaultSoak.Setup(
            List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()),
            dir.resolve("work"),
            spec,
            "soak",
            3,
            4,
            0.15,
            7,
            Duration.ofSeconds(1),
            8);
    List<FaultSoak.PhaseResult> results = new FaultSoak(setup, System.err).run();
    String table = FaultSoak.table(results, setup.rate());
    System.out.print(table);
    for (FaultSoak.PhaseResult result : results) {
      assertEquals(result.operations(), result.completed(), table);
      assertTrue(result.digestsVerified() > 0, table);
    }
    long faults = results.stream().mapToLong(FaultSoak.PhaseResult::faultCount).sum();
    assertTrue(faults >= 5, "the proxy injected only " + faults + " faults:\n" + table);
  }
}
