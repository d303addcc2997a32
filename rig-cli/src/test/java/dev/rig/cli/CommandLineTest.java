package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * How the command line is put together: the one named subcommand or all of them, the spec cache
 * under the cache directory, and the hidden run the launcher trains its class-data archive with.
 */
class CommandLineTest {
  @TempDir Path dir;

  @Test
  void everySubcommandIsRegisteredUnderItsOwnName() {
    Map<String, CommandLine> all = Main.commandLine().getSubcommands();
    assertEquals(
        List.of(
            "build",
            "push",
            "verify",
            "key",
            "load",
            "shell",
            "sbom",
            "lock",
            "update",
            "cache",
            "vm",
            "options",
            "init",
            "cds-training",
            "help"),
        List.copyOf(all.keySet()));
    all.forEach(
        (name, sub) ->
            assertEquals(
                name,
                sub.getCommandSpec().userObject().getClass().getAnnotation(Command.class).name()));
  }

  @Test
  void aNamedSubcommandIsTheOnlyOneBuilt() {
    assertEquals(
        List.of("push"), List.copyOf(Main.commandLine("push", "--help").getSubcommands().keySet()));
    // help lists every command; a mistyped name gets picocli's suggestions from all of them.
    assertEquals(15, Main.commandLine("help").getSubcommands().size());
    assertEquals(15, Main.commandLine("pusj").getSubcommands().size());
    assertEquals(15, Main.commandLine("--version").getSubcommands().size());
    RigRun help = RigRun.of(List.of("push", "--help")).ok();
    assertTrue(help.stdout().startsWith("Usage: rig push"), help.describe());
    RigRun mistyped = RigRun.of(List.of("pusj"));
    assertTrue(mistyped.stderr().contains("push"), mistyped.describe());
  }

  @Test
  void buildsCacheTheEvaluatedSpecUnderTheCacheDirectory() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("f"), "x\n");
    Files.writeString(project.resolve("version.pkl"), "tag = \"1\"\n");
    Path spec =
        Files.writeString(
            project.resolve("rig.pkl"),
            "amends \"modulepath:/rig/Project.pkl\"\nimport \"version.pkl\"\n"
                + "images { [\"app\"] { tag = version.tag\n"
                + "  copyToRoot { new { source = \"f\"; target = \"/f\" } } } }\n");
    Path cache = dir.resolve("cache");
    List<String> build =
        List.of("build", "-q", "-f", spec.toString(), "--out", "oci:" + dir.resolve("out"));
    assertTrue(RigRun.withCache(cache, build).ok().stdout().contains("app:1"));
    assertEquals(1, entries(cache.resolve("specs")));
    Files.writeString(project.resolve("version.pkl"), "tag = \"2\"\n");
    assertTrue(RigRun.withCache(cache, build).ok().stdout().contains("app:2"));
    assertEquals(1, entries(cache.resolve("specs")), "one entry per spec file, replaced");
  }

  @Test
  void theTrainingRunPushesToItsOwnStandInRegistry() {
    RigRun run = RigRun.of(List.of("cds-training", dir.resolve("train").toString())).ok();
    assertTrue(run.stdout().contains("\"bytesUploaded\" : 0"), run.describe());
  }

  private static long entries(Path specs) throws Exception {
    try (Stream<Path> files = Files.list(specs)) {
      return files.count();
    }
  }
}
