package dev.rig.apt.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.DirectoryFetcher;
import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.testrepo.AptOracle;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.HermeticRepo.Deb;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which provider of a virtual package is chosen, and the Essential set, on a hermetic repository
 * where apt is the oracle. Providers are listed with the preferred one last in the index, so an
 * index-order rule would pick differently.
 */
class ProviderChoiceTest {
  @TempDir static Path dir;
  static HermeticRepo repo;
  static Universe universe;

  @BeforeAll
  static void build() throws IOException {
    repo =
        HermeticRepo.build(
            dir,
            "prov",
            List.of(
                Deb.of("aa-extra", "1", "amd64", "Priority", "extra", "Provides", "httpd"),
                Deb.of("bb-optional", "1", "amd64", "Priority", "optional", "Provides", "httpd"),
                Deb.of("cc-standard", "1", "amd64", "Priority", "standard", "Provides", "httpd"),
                Deb.of("wants-httpd", "1", "all", "Depends", "httpd"),
                Deb.of("dd-optional", "1", "amd64", "Priority", "optional", "Provides", "editor"),
                Deb.of("ee-important", "1", "amd64", "Priority", "important", "Provides", "editor"),
                Deb.of("editor", "1", "all", "Priority", "extra"),
                Deb.of("wants-editor", "1", "all", "Depends", "editor"),
                Deb.of(
                    "shell-fake",
                    "1",
                    "amd64",
                    "Priority",
                    "required",
                    "Essential",
                    "yes",
                    "Depends",
                    "libshell"),
                Deb.of(
                    "libshell", "1", "amd64", "Priority", "required", "Depends", "libshell-data"),
                Deb.of("libshell-data", "1", "all", "Priority", "required"),
                Deb.of(
                    "coreutils-fake", "1", "amd64", "Priority", "required", "Essential", "yes")));
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(repo.root()), "prov", Keyring.read(repo.keyring()));
    List<PackageRecord> packages = reader.packages(reader.release(), "main", "amd64");
    universe = Universe.of("amd64", packages);
  }

  static List<String> resolve(ResolveOptions options, String... requests) {
    return new Resolver(universe, options)
        .resolve(Stream.of(requests).map(Request::parse).toList()).ids().stream().sorted().toList();
  }

  @Test
  void providersByPriorityAndRealPackagesFirstAgreeWithApt(@TempDir Path aptDir)
      throws IOException {
    assertEquals(
        List.of("cc-standard=1", "wants-httpd=1"), resolve(ResolveOptions.DEFAULT, "wants-httpd"));
    assertEquals(
        List.of("editor=1", "wants-editor=1"), resolve(ResolveOptions.DEFAULT, "wants-editor"));
    AptOracle apt =
        AptOracle.forSource(
            aptDir, "deb [signed-by=" + repo.keyring() + "] file:" + repo.root() + " prov main");
    for (String request : List.of("wants-httpd", "wants-editor")) {
      assertEquals(
          apt.simulate(List.of(request)),
          Optional.of(resolve(ResolveOptions.DEFAULT, request)),
          request);
    }
  }

  @Test
  void essentialOptionAddsTheEssentialSetWithItsDependencies() {
    assertEquals(
        List.of(
                "coreutils-fake=1",
                "libshell-data=1",
                "libshell=1",
                "shell-fake=1",
                "wants-editor=1",
                "editor=1")
            .stream()
            .sorted()
            .toList(),
        resolve(ResolveOptions.DEFAULT.withEssential(true), "wants-editor"));
    assertEquals(
        List.of("coreutils-fake=1", "libshell-data=1", "libshell=1", "shell-fake=1"),
        resolve(ResolveOptions.DEFAULT.withEssential(true)));
  }
}
