package dev.rig.apt.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.testrepo.AptOracle;
import dev.rig.apt.testrepo.TrixieFrozen;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against {@code apt-get install --simulate} on a frozen slice of Debian trixie main +
 * non-free (the test resource made by {@link TrixieFrozen}), so that the comparison is stable: both
 * read the same indexes, and they never change.
 *
 * <p>apt with an empty status file does not add the Essential set, so apt is asked for the request
 * plus every Essential: yes package by name, and rig resolves the request with {@code
 * addEssential}. The two install sets must be equal as {@code name=version}; a refusal must be a
 * refusal on both sides.
 */
class TrixieFrozenOracleTest {
  @Test
  void agreesWithAptOnTheFrozenTrixieIndexes(@TempDir Path dir) throws IOException {
    Tools.require("apt-ftparchive", "apt-utils");
    String text = TrixieFrozen.packagesText();
    List<PackageRecord> packages = TrixieFrozen.packages();
    assertTrue(packages.size() > 1000, "suspiciously small fixture: " + packages.size());
    Universe universe = Universe.of("amd64", packages);
    List<String> essential = universe.essential().stream().map(PackageRecord::name).toList();
    assertTrue(essential.contains("dpkg"), "no Essential set in the fixture: " + essential);

    // A flat repository: Packages and a Release made by apt-ftparchive. Integrity is not under
    // test here, so apt trusts it without a signature.
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("Packages"), text);
    Exec.Result release =
        Exec.run(List.of("apt-ftparchive", "release", "."), Map.of(), repo, Duration.ofMinutes(1))
            .ok();
    Files.writeString(repo.resolve("Release"), release.stdout());
    AptOracle apt =
        AptOracle.forSource(
            Files.createDirectories(dir.resolve("apt")), "deb [trusted=yes] file:" + repo + " ./");

    List<String> disagreements = new ArrayList<>();
    List<List<String>> refusedByApt = new ArrayList<>();
    for (List<String> request : TrixieFrozen.REQUESTS) {
      Optional<List<String>> expected =
          apt.simulate(Stream.concat(request.stream(), essential.stream()).toList());
      Optional<List<String>> ours;
      String why = "";
      try {
        ours =
            Optional.of(
                new Resolver(universe, ResolveOptions.DEFAULT.withEssential(true))
                    .resolve(request.stream().map(Request::parse).toList()).ids().stream()
                        .sorted()
                        .toList());
      } catch (ResolutionException e) {
        ours = Optional.empty();
        why = " (" + e.getMessage() + ")";
      }
      System.out.println(
          request
              + ": apt "
              + expected.map(l -> l.size() + " packages").orElse("refuses")
              + ", rig "
              + ours.map(l -> l.size() + " packages").orElse("refuses" + why));
      if (expected.isEmpty()) {
        refusedByApt.add(request);
      }
      if (!expected.equals(ours)) {
        disagreements.add(request + ":\n" + difference(expected, ours) + why);
      }
    }
    assertEquals(List.of(), disagreements, String.join("\n", disagreements));
    // Every other request must really install something, or the comparison would prove little.
    assertEquals(TrixieFrozen.UNSOLVABLE, refusedByApt);
  }

  private static String difference(Optional<List<String>> apt, Optional<List<String>> rig) {
    if (apt.isEmpty() || rig.isEmpty()) {
      return "  apt "
          + apt.map(l -> l.size() + " packages").orElse("refuses")
          + ", rig "
          + rig.map(l -> l.size() + " packages").orElse("refuses");
    }
    TreeSet<String> onlyApt = new TreeSet<>(apt.get());
    onlyApt.removeAll(rig.get());
    TreeSet<String> onlyRig = new TreeSet<>(rig.get());
    onlyRig.removeAll(apt.get());
    return "  only apt: " + onlyApt + "\n  only rig: " + onlyRig;
  }
}
