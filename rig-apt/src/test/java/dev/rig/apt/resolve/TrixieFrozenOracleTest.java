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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
  /**
   * Where rig is known to choose differently from apt, pinned exactly so that neither a new
   * difference nor the end of a known one goes unnoticed (remove an entry once rig agrees).
   *
   * <p>python3-pynvim and upower: the order in which dependencies are visited. apt's MarkInstall
   * installs each dependency's own dependencies before it moves to the next one (depth first), so
   * an or-group met deep in the first branch takes its first alternative even when a later sibling
   * would have satisfied it through another alternative. rig settles the open dependencies in the
   * order they were found (breadth first), so by then the sibling is chosen and the or-group is
   * already satisfied. python3-pynvim depends on "python3-msgpack, python3-typing-extensions |
   * python3-supported-min (>= 3.12), python3:any": apt reaches python3 (which provides
   * python3-supported-min) through python3-msgpack first; rig meets the or-group before python3 is
   * chosen and adds python3-typing-extensions. upower depends on "default-dbus-system-bus |
   * dbus-system-bus, udev": apt reaches dbus-system-bus-common's "adduser | systemd-sysusers"
   * through dbus before udev brings systemd (which provides systemd-sysusers), and installs
   * adduser; rig has chosen systemd by then.
   *
   * <p>libtk-img: depends on the virtual libtk, provided by libtk8.6 and libtk9.0, both optional
   * and not Essential. apt's last tie-break between providers is its cache's package id (an
   * artefact of index order), and picks libtk9.0; rig breaks the tie by name (see {@link
   * Universe#providers}) and picks libtk8.6.
   */
  private static final Map<List<String>, String> KNOWN_DIFFERENCES =
      Map.of(
          List.of("python3-pynvim"),
          "  only apt: []\n  only rig: [python3-typing-extensions=4.13.2-1]",
          List.of("upower"),
          "  only apt: [adduser=3.152, libbsd0=0.12.2-2, libsemanage-common=3.8.1-1,"
              + " libsemanage2=3.8.1-1, libsepol2=3.8.1-1, login.defs=1:4.17.4-2,"
              + " passwd=1:4.17.4-2]\n  only rig: []",
          List.of("libtk-img"),
          "  only apt: [libtcl9.0=9.0.1+dfsg-2, libtk9.0=9.0.1-3, libtommath1=1.3.0-1]\n"
              + "  only rig: [libtcl8.6=8.6.16+dfsg-1, libtk8.6=8.6.16-1]");

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

    Map<List<String>, String> disagreements = new LinkedHashMap<>();
    List<List<String>> refusedByApt = new ArrayList<>();
    List<List<String>> requests = new ArrayList<>(TrixieFrozen.REQUESTS);
    requests.addAll(TrixieFrozen.DIVERGENT);
    for (List<String> request : requests) {
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
        disagreements.put(request, difference(expected, ours) + why);
      }
    }
    assertEquals(
        KNOWN_DIFFERENCES,
        disagreements,
        "rig and apt disagree other than known:\n"
            + disagreements.entrySet().stream()
                .map(e -> e.getKey() + ":\n" + e.getValue())
                .collect(Collectors.joining("\n")));
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
