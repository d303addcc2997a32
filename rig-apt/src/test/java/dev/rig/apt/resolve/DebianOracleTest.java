package dev.rig.apt.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.testrepo.AptOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against apt-get --simulate on the real Debian main index of this machine's
 * configured mirror (read from /etc/apt at test time). Both read the live mirror a few seconds
 * apart, so a point release landing in between could make them differ; freezing the index as a
 * fixture is the planned next step.
 */
class DebianOracleTest {
  @Test
  void agreesWithAptOnRealDebianRequests(@TempDir Path aptDir) throws IOException {
    SourceEntry entry =
        AptSources.readSystem(Path.of("/etc/apt")).stream()
            .filter(e -> e.type().equals("deb") && e.signedBy().isPresent())
            .filter(e -> e.uri().getScheme().startsWith("http"))
            .filter(e -> e.components().contains("main"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no signed http deb source with main in /etc/apt"));
    SuiteReader reader = Fetchers.reader(entry);
    List<PackageRecord> packages = reader.packages(reader.release(), "main", "amd64");
    assertTrue(packages.size() > 10_000, "suspiciously small index: " + packages.size());
    Universe universe = Universe.of("amd64", packages);
    AptOracle apt =
        AptOracle.forSource(
            aptDir,
            "deb [signed-by="
                + entry.signedBy().get()
                + "] "
                + entry.uri()
                + " "
                + entry.suite()
                + " main");
    List<String> disagreements = new ArrayList<>();
    for (List<String> request :
        List.of(
            List.of("python3"),
            List.of("openssh-server"),
            List.of("curl", "ca-certificates"),
            List.of("git"),
            List.of("build-essential"),
            List.of("tini"),
            List.of("vim"),
            List.of("postfix"),
            List.of("mutt"),
            List.of("default-jre-headless"),
            List.of("no-such-package-here"))) {
      Optional<List<String>> expected = apt.simulate(request);
      Optional<List<String>> ours;
      try {
        ours =
            Optional.of(
                new Resolver(universe, ResolveOptions.DEFAULT)
                    .resolve(request.stream().map(Request::parse).toList()).ids().stream()
                        .sorted()
                        .toList());
      } catch (ResolutionException e) {
        ours = Optional.empty();
      }
      if (!expected.equals(ours)) {
        disagreements.add(request + ":\n apt " + expected + "\n rig " + ours);
      }
    }
    assertEquals(List.of(), disagreements);
  }
}
