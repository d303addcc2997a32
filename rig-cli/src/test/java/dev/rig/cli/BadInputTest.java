package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.HermeticRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the whole command line: a short error on stderr that names the file, the line
 * and the option, exit code 1, and no output written.
 */
class BadInputTest {
  @TempDir Path dir;

  private RigRun build(String specName, String... lines) throws IOException {
    Path spec = dir.resolve(specName);
    Files.writeString(spec, String.join("\n", lines) + "\n");
    Files.writeString(dir.resolve("present.txt"), "here\n");
    return RigRun.withCache(
        dir.resolve("cache"),
        List.of("build", "-f", spec.toString(), "--out", "oci:" + dir.resolve("out")));
  }

  private void assertFails(RigRun run, String... fragments) {
    assertEquals(1, run.exitCode(), run.describe());
    String err = run.stderr().strip();
    for (String fragment : fragments) {
      assertTrue(err.contains(fragment), "expected '" + fragment + "' in: " + err);
    }
    assertTrue(err.lines().count() <= 3, "the error should be short: " + err);
    assertFalse(Files.exists(dir.resolve("out")), "nothing may be written on a bad spec");
  }

  private static final String HEAD = "amends \"modulepath:/rig/Project.pkl\"";

  /**
   * A service that depends on one that does not exist is reported with its line before anything is
   * fetched: the image installs packages, and the cache must have no index and no .deb.
   */
  @Test
  void unknownServiceDependencyBeforeAnyDownload() throws IOException {
    RigRun run =
        build(
            "rig.yaml",
            "images:",
            "  app:",
            "    packages: [python3]",
            "    runtime:",
            "      services:",
            "        web:",
            "          command: [python3, -m, http.server]",
            "        worker:",
            "          command: [sleep, infinity]",
            "          dependsOn: [wbe]");
    assertFails(run, "rig.yaml:10", "services[\"worker\"].dependsOn", "unknown service 'wbe'");
    assertFalse(Files.exists(dir.resolve("cache/debs")), "nothing may be downloaded first");
    assertFalse(Files.exists(dir.resolve("cache/indexes")), "nothing may be downloaded first");
  }

  /** A package no repository has: where it is requested, where rig looked, what is close. */
  @Test
  void unknownPackageNamesTheLineTheRepositoriesAndCloseNames() throws IOException {
    HermeticRepo repo =
        HermeticRepo.build(
            dir.resolve("repo"),
            "stable",
            List.of(
                HermeticRepo.Deb.of("python3-numpy", "1.0", "all"),
                HermeticRepo.Deb.of("python3-scipy", "1.0", "all")));
    RigRun run =
        build(
            "rig.yaml",
            "images:",
            "  app:",
            "    packages:",
            "      - python4-numpy",
            "    distributions: []",
            "    repositories:",
            "      - uri: \"" + repo.uri() + "\"",
            "        suites: [stable]",
            "        signedBy: \"" + repo.keyring() + "\"",
            "    environment: { core: false, dev: false, network: false, shell: false }",
            "    runtime: { enable: false }",
            "    cuda: { enable: false }",
            "    includeApt: false");
    assertFails(
        run,
        "rig.yaml:4",
        "images[\"app\"].packages",
        "no package named python4-numpy",
        "stable (main)",
        "did you mean python3-numpy?");
    assertFalse(run.stderr().contains("python3-scipy"), "too far to suggest: " + run.stderr());
    // The index it parsed is stored in the background, and stored by the time the command returns
    // (the temp directory is deleted right after: a write still under way failed this test once).
    try (var files = Files.list(dir.resolve("cache/indexes"))) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.endsWith(".parsed")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith(".")), "a temp file is left: " + names);
    }
  }

  @Test
  void unknownOption() throws IOException {
    assertFails(
        build("rig.pkl", HEAD, "images {", "  [\"a\"] {", "    tagg = \"1\"", "  }", "}"),
        "rig.pkl:4",
        "tagg");
  }

  @Test
  void wrongType() throws IOException {
    assertFails(
        build("rig.pkl", HEAD, "images {", "  [\"a\"] {", "    maxLayers = \"fifty\"", "  }", "}"),
        "rig.pkl:4",
        "maxLayers");
  }

  @Test
  void missingCopySource() throws IOException {
    assertFails(
        build(
            "rig.yaml",
            "images:",
            "  a:",
            "    copyToRoot:",
            "      - { source: present.txt, target: /a }",
            "      - { source: absent.txt, target: /b }"),
        "rig.yaml:5",
        "absent.txt");
  }

  @Test
  void lowerCaseEnvName() throws IOException {
    assertFails(
        build("rig.yaml", "images:", "  a:", "    extraEnv:", "      lower: x"),
        "rig.yaml:4",
        "lower");
  }

  @Test
  void portOutOfRange() throws IOException {
    assertFails(
        build(
            "rig.pkl",
            HEAD,
            "images {",
            "  [\"a\"] {",
            "    exposedPorts { \"70000/tcp\" }",
            "  }",
            "}"),
        "rig.pkl:4",
        "70000");
  }

  @Test
  void missingBaseLayout() throws IOException {
    assertFails(
        build(
            "rig.json",
            "{\"images\": {",
            "  \"a\": {",
            "    \"from\": \"oci:./nope:latest\"",
            "  }",
            "}}"),
        "rig.json:3",
        "nope");
  }

  @Test
  void unknownImageName() throws IOException {
    RigRun run =
        RigRun.withCache(
            dir.resolve("cache"), List.of("build", "-f", writeGood().toString(), "nosuch"));
    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.stderr().contains("no image named 'nosuch'"), run.stderr());
  }

  @Test
  void badOutputTarget() throws IOException {
    RigRun run =
        RigRun.withCache(
            dir.resolve("cache"),
            List.of("build", "-f", writeGood().toString(), "--out", "tarball:x.tar"));
    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.stderr().contains("oci:DIR, oci-archive:FILE, docker-archive:FILE or vm:DIR"),
        run.stderr());
  }

  private Path writeGood() throws IOException {
    Path spec = dir.resolve("good.yaml");
    Files.writeString(spec, "images:\n  a: {}\n");
    return spec;
  }
}
