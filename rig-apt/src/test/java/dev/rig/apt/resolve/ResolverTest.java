package dev.rig.apt.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.DirectoryFetcher;
import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.testrepo.AptOracle;
import dev.rig.apt.testrepo.Fixtures;
import dev.rig.testkit.HermeticRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverTest {
  @TempDir static Path dir;
  static HermeticRepo repo;
  static List<PackageRecord> packages;
  static Universe universe;

  @BeforeAll
  static void buildRepo() throws IOException {
    repo = HermeticRepo.build(dir, "rigtest", Fixtures.DEBS);
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(repo.root()), "rigtest", Keyring.read(repo.keyring()));
    packages = reader.packages(reader.release(), "main", "amd64");
    universe = Universe.of("amd64", packages);
  }

  static Resolution resolve(String... requests) {
    return resolve(ResolveOptions.DEFAULT, requests);
  }

  static Resolution resolve(ResolveOptions options, String... requests) {
    return new Resolver(universe, options)
        .resolve(Stream.of(requests).map(Request::parse).toList());
  }

  @Test
  void followsDependsPreDependsVersionsAndAlternatives() {
    Resolution r = resolve("app");
    assertEquals(
        List.of(
            "app=1.0-1",
            "base-lib=2.0",
            "exim-fake=1.0",
            "libfoo=1.3-1",
            "libfoo-data=1.3-1",
            "tool=3.0"),
        r.ids());
    assertEquals(
        "requested app\n  -> app 1.0-1 depends on libfoo (>= 1.2)", r.reasons().get("libfoo"));
    assertEquals(
        "requested app\n  -> app 1.0-1 pre-depends on base-lib", r.reasons().get("base-lib"));
  }

  @Test
  void recommendsOnlyWhenAsked() {
    assertFalse(resolve("app").ids().contains("extras=1.0"));
    assertTrue(
        resolve(ResolveOptions.DEFAULT.withRecommends(true), "app").ids().contains("extras=1.0"));
  }

  @Test
  void essentialSetOnlyWhenAsked() {
    assertEquals(List.of("extras=1.0"), resolve("extras").ids());
    assertEquals(
        List.of("base-files-fake=1:13", "extras=1.0"),
        resolve(ResolveOptions.DEFAULT.withEssential(true), "extras").ids());
  }

  @Test
  void pinsAndVersionedProvides() {
    assertEquals(List.of("libfoo=1.1-1"), resolve("libfoo=1.1-1").ids());
    assertEquals(List.of("consumer=1.0", "virt-provider=1.0"), resolve("consumer").ids());
    assertEquals(List.of("extras=1.0", "pick-alt=1.0"), resolve("pick-alt").ids());
  }

  @Test
  void backtracksOutOfAChoiceThatLaterConflicts() {
    // mail-transport-agent is first satisfied by exim-fake (by name), which conflicts with the
    // postfix-fake that wants-postfix needs; the search must revisit that first choice.
    assertEquals(
        List.of("only-virtual-dep=1.0", "postfix-fake=1.0", "wants-postfix=1.0"),
        resolve("only-virtual-dep", "wants-postfix").ids());
  }

  @Test
  void conflictShowsTheChain() {
    ResolutionException e = assertThrows(ResolutionException.class, () -> resolve("clash-a"));
    assertEquals(
        "cannot install clash-a:\n"
            + "  requested clash-a\n"
            + "  -> clash-a 1.0 depends on middle\n"
            + "  -> middle 1.0 depends on clash-b\n"
            + "  : cannot use clash-b 1.0: clash-b 1.0 conflicts with clash-a, and clash-a 1.0 is"
            + " already chosen (requested clash-a)",
        e.getMessage());
  }

  @Test
  void missingDependencyShowsTheChain() {
    ResolutionException e = assertThrows(ResolutionException.class, () -> resolve("broken"));
    assertEquals(
        "cannot install broken:\n"
            + "  requested broken\n"
            + "  -> broken 1.0 depends on needs-ghost\n"
            + "  -> needs-ghost 1.0 depends on ghost-lib (>= 2)\n"
            + "  : no package satisfies ghost-lib (>= 2) (no package ghost-lib exists and nothing"
            + " provides it)",
        e.getMessage());
  }

  @Test
  void breaksAndMutualVirtualConflictsAreRefused() {
    ResolutionException breaks =
        assertThrows(ResolutionException.class, () -> resolve("oldtool", "newtool"));
    assertTrue(
        breaks.getMessage().contains("newtool 2.0 breaks oldtool (<< 2)"), breaks.getMessage());
    ResolutionException mta =
        assertThrows(ResolutionException.class, () -> resolve("postfix-fake", "exim-fake"));
    assertTrue(mta.getMessage().contains("conflicts with mail-transport-agent"), mta.getMessage());
    ResolutionException pin =
        assertThrows(ResolutionException.class, () -> resolve("app", "libfoo=1.1-1"));
    assertTrue(pin.getMessage().contains("libfoo (>= 1.2)"), pin.getMessage());
  }

  @Test
  void requestErrorsAreReadable() {
    assertEquals(
        "unable to locate package nonexistent",
        assertThrows(ResolutionException.class, () -> resolve("nonexistent")).getMessage());
    assertEquals(
        "mail-transport-agent is a virtual package provided by [exim-fake, postfix-fake]; request"
            + " one of them",
        assertThrows(ResolutionException.class, () -> resolve("mail-transport-agent"))
            .getMessage());
    assertTrue(
        assertThrows(ResolutionException.class, () -> resolve("libfoo=9"))
            .getMessage()
            .contains("version 9 of libfoo is not available"));
    assertTrue(
        assertThrows(ResolutionException.class, () -> resolve("libvirt-api"))
            .getMessage()
            .contains("provided by [old-virt-provider, virt-provider]"));
  }

  @Test
  void isDeterministicWhateverTheInputOrder() {
    List<String> expected = resolve("app", "consumer", "pick-alt").ids();
    for (long seed = 1; seed <= 5; seed++) {
      List<PackageRecord> shuffled = new ArrayList<>(packages);
      Collections.shuffle(shuffled, new Random(seed));
      Resolution r =
          new Resolver(Universe.of("amd64", shuffled), ResolveOptions.DEFAULT)
              .resolve(
                  List.of(
                      Request.parse("app"), Request.parse("consumer"), Request.parse("pick-alt")));
      assertEquals(expected, r.ids());
    }
  }

  @Test
  void agreesWithAptOnTheHermeticRepository(@TempDir Path aptDir) throws IOException {
    AptOracle apt =
        AptOracle.forSource(
            aptDir, "deb [signed-by=" + repo.keyring() + "] file:" + repo.root() + " rigtest main");
    List<List<String>> requests =
        List.of(
            // apt picks among several providers of a virtual package by its own priority order
            // (here
            // postfix-fake, rig picks exim-fake by name); see the report: the request names one.
            List.of("app", "exim-fake"),
            List.of("app", "postfix-fake"),
            List.of("consumer"),
            List.of("pick-alt"),
            List.of("libfoo=1.1-1"),
            List.of("tool", "extras"),
            List.of("only-virtual-dep", "wants-postfix"),
            List.of("clash-a"),
            List.of("broken"),
            List.of("oldtool", "newtool"),
            List.of("postfix-fake", "exim-fake"));
    List<String> disagreements = new ArrayList<>();
    for (List<String> request : requests) {
      Optional<List<String>> expected = apt.simulate(request);
      Optional<List<String>> ours;
      try {
        ours =
            Optional.of(resolve(request.toArray(String[]::new)).ids().stream().sorted().toList());
      } catch (ResolutionException e) {
        ours = Optional.empty();
      }
      if (!expected.equals(ours)) {
        disagreements.add(request + ": apt " + expected + ", rig " + ours);
      }
    }
    assertEquals(List.of(), disagreements);
  }
}
