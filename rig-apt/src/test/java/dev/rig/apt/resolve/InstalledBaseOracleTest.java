package dev.rig.apt.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.ControlParser;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver on a system with packages installed already (a base image), against {@code apt-get
 * install --simulate} with the same dpkg status file as {@code Dir::State::status}, on the frozen
 * trixie slice. The installed system is the Essential set, apt and postfix, with libssl3t64 and apt
 * made older than the index has them, so that some requests need an upgrade. Both must install (or
 * upgrade) exactly the same {@code name=version}s; a request that apt can only meet by removing an
 * installed package (a conflict) must be refused by rig, with the chain.
 */
class InstalledBaseOracleTest {
  /** Installed at these versions instead of the index's, to be upgraded. */
  private static final Map<String, String> OLDER = Map.of("libssl3t64", "3.3.1-5", "apt", "2.0.0");

  private static final List<List<String>> REQUESTS =
      List.of(
          List.of("curl", "git", "tmux"),
          List.of("openssh-server", "python3"),
          // default-mta | mail-transport-agent: met by the installed postfix
          List.of("bsd-mailx"),
          List.of("mutt"),
          List.of("tmux"),
          List.of("libcudart12"),
          // installed at the index's version: nothing to do
          List.of("postfix"),
          // libpython3.13-minimal needs libssl3t64 (>= 3.4.0): the installed 3.3.1-5 is upgraded
          List.of("python3"),
          // an installed package requested by name is upgraded to the newest version
          List.of("apt"),
          // MTAs that conflict with the installed postfix
          List.of("exim4"),
          List.of("dma"));

  @Test
  void agreesWithAptOnAnInstalledSystem(@TempDir Path dir) throws IOException {
    Tools.require("apt-ftparchive", "apt-utils");
    String text = TrixieFrozen.packagesText();
    Universe universe = Universe.of("amd64", TrixieFrozen.packages());
    Set<String> base =
        new Resolver(universe, ResolveOptions.DEFAULT.withEssential(true))
            .resolve(List.of(Request.parse("apt"), Request.parse("postfix"))).packages().stream()
                .map(PackageRecord::name)
                .collect(Collectors.toSet());
    assertTrue(base.containsAll(OLDER.keySet()), "the base lacks what the test upgrades");
    String status = status(text, base);
    List<PackageRecord> installed =
        ControlParser.parse("status", status).stream().map(PackageRecord::from).toList();
    assertEquals(base.size(), installed.size());

    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("Packages"), text);
    Exec.Result release =
        Exec.run(List.of("apt-ftparchive", "release", "."), Map.of(), repo, Duration.ofMinutes(1))
            .ok();
    Files.writeString(repo.resolve("Release"), release.stdout());
    AptOracle apt =
        AptOracle.forSource(
            Files.createDirectories(dir.resolve("apt")),
            "deb [trusted=yes] file:" + repo + " ./",
            status);

    Map<List<String>, String> disagreements = new LinkedHashMap<>();
    List<List<String>> refused = new ArrayList<>();
    List<List<String>> upgrading = new ArrayList<>();
    for (List<String> request : REQUESTS) {
      Optional<List<String>> expected = apt.simulateOnStatus(request);
      Optional<List<String>> ours;
      String why = "";
      try {
        ours =
            Optional.of(
                new Resolver(universe, ResolveOptions.DEFAULT)
                        .resolve(request.stream().map(Request::parse).toList(), installed)
                        .ids()
                        .stream()
                        .sorted()
                        .toList());
      } catch (ResolutionException e) {
        ours = Optional.empty();
        why = e.getMessage();
      }
      System.out.println(
          request
              + ": apt "
              + expected.map(l -> l.size() + " packages").orElse("refuses")
              + ", rig "
              + ours.map(l -> l.size() + " packages").orElse("refuses: " + why));
      if (expected.isEmpty()) {
        refused.add(request);
        // The refusal names the installed package and how the request reached it.
        assertTrue(why.contains("postfix") && why.contains("installed already"), why);
      } else if (expected.get().stream().anyMatch(id -> OLDER.containsKey(id.split("=")[0]))) {
        upgrading.add(request);
      }
      if (!expected.equals(ours)) {
        disagreements.put(request, expected + "\n  rig: " + ours + " " + why);
      }
    }
    assertEquals(Map.of(), disagreements);
    assertEquals(List.of(List.of("exim4"), List.of("dma")), refused);
    assertTrue(upgrading.contains(List.of("python3")), "no upgrade was tested: " + upgrading);
    assertTrue(upgrading.contains(List.of("apt")), "no upgrade was tested: " + upgrading);
  }

  /** dpkg status stanzas for the index stanzas of {@code names}, some made older. */
  private static String status(String packagesText, Set<String> names) {
    StringBuilder out = new StringBuilder();
    for (String stanza : packagesText.split("\n\n")) {
      String name = field(stanza, "Package");
      if (!names.contains(name)) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      for (String line : stanza.strip().split("\n")) {
        if (line.startsWith("Version: ") && OLDER.containsKey(name)) {
          line = "Version: " + OLDER.get(name);
        }
        lines.add(line);
        if (line.startsWith("Package: ")) {
          lines.add("Status: install ok installed");
        }
      }
      out.append(String.join("\n", lines)).append("\n\n");
    }
    return out.toString();
  }

  private static String field(String stanza, String name) {
    for (String line : stanza.split("\n")) {
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2).strip();
      }
    }
    return "";
  }
}
