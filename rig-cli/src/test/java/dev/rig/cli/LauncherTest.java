package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./rig} script and the command it tells users to type next. */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void aCheckoutNotOnPathIsNamedByItsPathWithHowToLinkIt() throws Exception {
    Path script = executable(dir.resolve("checkout/rig"), "#!/bin/sh\n");
    Launcher launcher =
        Launcher.of(Map.of("RIG_LAUNCHER", script.toString(), "PATH", "/usr/bin:/bin"));
    assertEquals(script.toString(), launcher.command());
    assertTrue(launcher.pathHint().orElseThrow().contains("ln -sf " + script), launcher.toString());
  }

  @Test
  void aLauncherReachedThroughPathIsJustRig() throws Exception {
    Path script = executable(dir.resolve("checkout/rig"), "#!/bin/sh\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("rig"), script);
    Launcher launcher =
        Launcher.of(Map.of("RIG_LAUNCHER", script.toString(), "PATH", "/usr/bin:" + bin));
    assertEquals(new Launcher("rig", Optional.empty()), launcher);
  }

  /**
   * The launcher's first, offline build attempt fails on a fresh machine (nothing in the local
   * Maven repository yet); Maven prints its [ERROR] lines on stdout, which must not reach the user.
   * A stand-in mvnw fails offline as Maven does, and a stand-in java stands for the built jar.
   */
  @Test
  void theFirstBuildPrintsOnlyRigsOwnLines() throws Exception {
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Files.copy(Path.of("..", "rig"), root.resolve("rig"));
    Files.createDirectories(root.resolve("rig-cli/src/main"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    executable(
        root.resolve("mvnw"),
        "#!/bin/sh\n"
            + "case \" $* \" in *' -o '*)\n"
            + "  echo '[ERROR] Failed to execute goal: offline, artifact not cached'\n"
            + "  echo 'offline detail' >&2; exit 1;;\n"
            + "esac\n"
            + "mkdir -p rig-cli/target/lib && echo jar > rig-cli/target/rig-cli.jar\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(
        bin.resolve("java"),
        "#!/bin/sh\n"
            + "for a in \"$@\"; do [ \"$a\" = cds-training ] && exit 1; done\n"
            + "echo \"rig ran: ${RIG_LAUNCHER}\"\n");
    Exec.Result run =
        Exec.run(
                List.of("bash", root.resolve("rig").toString(), "--version"),
                Map.of("PATH", bin + ":/usr/bin:/bin"),
                dir,
                Duration.ofSeconds(30))
            .ok();
    assertFalse(run.stdout().contains("[ERROR]"), run.describe());
    assertFalse(run.stderr().contains("[ERROR]"), run.describe());
    assertFalse(run.stderr().contains("offline detail"), run.describe());
    assertEquals("rig ran: " + root.resolve("rig"), run.stdout().strip(), run.describe());
    for (String line : run.stderr().lines().toList()) {
      assertTrue(line.startsWith("rig: "), "not one of rig's lines: " + run.describe());
    }
  }

  /**
   * {@code rig build} runs first as a probe in a C1-only JVM: when the probe finds the output up to
   * date it is the whole command; when it exits 75 the same command runs again in the C2 JVM. A
   * stand-in java records each start's arguments and answers the probe as it is told.
   */
  @Test
  void aBuildIsProbedInAShortRunJvmAndRunInTheBuildJvmOnlyWhenTheProbeMisses() throws Exception {
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Files.copy(Path.of("..", "rig"), root.resolve("rig"));
    Files.createDirectories(root.resolve("rig-cli/src/main"));
    Files.createDirectories(root.resolve("rig-cli/target/lib"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Files.writeString(root.resolve("rig-cli/pom.xml"), "<project/>\n");
    Path jar = Files.writeString(root.resolve("rig-cli/target/rig-cli.jar"), "jar\n");
    // Newer than every source, so that the launcher does not build rig.
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Path log = dir.resolve("starts");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(
        bin.resolve("java"),
        "#!/bin/sh\n"
            + "for a in \"$@\"; do [ \"$a\" = cds-training ] && exit 1; done\n"
            + "echo \"$*\" >> "
            + log
            + "\n"
            + "case \" $* \" in *' --up-to-date-probe '*) exit \"$PROBE_EXIT\";; esac\n"
            + "echo built\n");
    for (String probeExit : List.of("0", "75")) {
      Files.deleteIfExists(log);
      Exec.Result run =
          Exec.run(
              List.of("bash", root.resolve("rig").toString(), "build", "-f", "x/rig.pkl"),
              Map.of("PATH", bin + ":/usr/bin:/bin", "PROBE_EXIT", probeExit),
              dir,
              Duration.ofSeconds(30));
      List<String> starts =
          Files.readAllLines(log).stream().filter(l -> !l.contains("cds-training")).toList();
      assertTrue(
          starts.get(0).contains("-XX:TieredStopAtLevel=1")
              && starts.get(0).endsWith("-jar " + jar + " build --up-to-date-probe -f x/rig.pkl"),
          starts.toString());
      if (probeExit.equals("0")) {
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(1, starts.size(), starts.toString());
        assertEquals("", run.stdout(), run.describe());
      } else {
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(2, starts.size(), starts.toString());
        assertFalse(starts.get(1).contains("TieredStopAtLevel"), starts.toString());
        assertTrue(
            starts.get(1).endsWith("-jar " + jar + " build -f x/rig.pkl"), starts.toString());
        assertEquals("built", run.stdout().strip(), run.describe());
      }
    }
    // JSON results and archives always build: no probe.
    for (List<String> args :
        List.of(
            List.of("build", "--json", "-f", "x/rig.pkl"),
            List.of("build", "--out", "docker-archive:x.tar"))) {
      Files.deleteIfExists(log);
      List<String> command = new ArrayList<>(List.of("bash", root.resolve("rig").toString()));
      command.addAll(args);
      Exec.Result run =
          Exec.run(
              command,
              Map.of("PATH", bin + ":/usr/bin:/bin", "PROBE_EXIT", "0"),
              dir,
              Duration.ofSeconds(30));
      List<String> starts =
          Files.readAllLines(log).stream().filter(l -> !l.contains("cds-training")).toList();
      assertEquals(1, starts.size(), starts.toString());
      assertTrue(
          starts.get(0).endsWith("-jar " + jar + " " + String.join(" ", args)), starts.toString());
      assertEquals("built", run.stdout().strip(), run.describe());
    }
  }

  /** Set-up writes into CI logs: no colour codes there (the tools are installed by now). */
  @Test
  void setupWritesNoEscapeCodesIntoALog() {
    Exec.Result run =
        Exec.run(
                List.of("bash", Path.of("..", "scripts", "setup").toAbsolutePath().toString()),
                Map.of(),
                Path.of("..").toAbsolutePath().normalize(),
                Duration.ofMinutes(5))
            .ok();
    assertFalse((run.stdout() + run.stderr()).contains("\u001b"), run.describe());
    assertTrue(run.stdout().contains("setup: done"), run.describe());
  }

  private static Path executable(Path path, String text) throws Exception {
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }
}
