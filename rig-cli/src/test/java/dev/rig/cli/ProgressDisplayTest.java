package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress as a person and as a script see it: under a pseudo-terminal ({@code script} gives the
 * command one) a status line is redrawn in place while layers compress; in a log, plain lines and
 * no escape codes; with {@code --json}, per-phase timings.
 */
class ProgressDisplayTest {
  @TempDir Path dir;

  /** A spec whose one big layer takes long enough (a second or so) for the display to tick. */
  private Path spec() throws IOException {
    byte[] noise = new byte[32 << 20];
    new Random(42).nextBytes(noise);
    Files.write(dir.resolve("weights.bin"), noise);
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n"
            + "  progress:\n"
            + "    copyToRoot:\n"
            + "      - { source: weights.bin, target: /models/weights.bin }\n");
    return spec;
  }

  private static List<String> rig(Path cache, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.rig.cli.Main"));
    command.add(args[0]);
    command.addAll(List.of("--cache", cache.toString()));
    command.addAll(List.of(args).subList(1, args.length));
    return command;
  }

  @Test
  void aTerminalGetsALiveStatusLine() throws IOException {
    Tools.require("script", "bsdutils");
    Path spec = spec();
    List<String> command =
        rig(
            dir.resolve("cache"),
            "build",
            "-f",
            spec.toString(),
            "--out",
            "oci:" + dir.resolve("o"));
    // script(1) runs the command on a new pseudo-terminal and copies what it writes.
    Exec.Result run =
        Exec.run(
                List.of("script", "-qefc", ShellWords.join(command), "/dev/null"),
                Map.of("TERM", "xterm", "COLUMNS", "120"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    String screen = run.stdout();
    assertTrue(screen.contains("\r\u001b[K"), "no line was redrawn:\n" + screen);
    assertTrue(screen.contains("progress: layers 1/2 50%"), "no status of the layers:\n" + screen);
    assertTrue(screen.contains("progress:latest sha256:"), "no result line:\n" + screen);
  }

  @Test
  void aLogGetsPlainLinesAndJsonGetsPhaseTimings() throws Exception {
    Path spec = spec();
    Exec.Result run =
        Exec.run(
                rig(
                    dir.resolve("cache"),
                    "build",
                    "-f",
                    spec.toString(),
                    "--out",
                    "oci:" + dir.resolve("o"),
                    "--json"),
                Map.of("TERM", "xterm"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    assertFalse(run.stderr().contains("\u001b"), run.describe());
    JsonNode json = new ObjectMapper().readTree(run.stdout());
    Set<String> phases = new HashSet<>();
    for (JsonNode phase : json.path("phases")) {
      phases.add(phase.path("phase").asText());
      assertTrue(phase.path("seconds").asDouble() >= 0, phase.toString());
    }
    assertEquals(Set.of("spec", "layers", "export"), phases, json.toString());
    JsonNode layer = json.path("images").get(0).path("layers").path("own").get(1);
    assertEquals("built", layer.path("origin").asText(), json.toString());

    Exec.Result plain =
        Exec.run(
                rig(
                    dir.resolve("cache"),
                    "build",
                    "-f",
                    spec.toString(),
                    "--out",
                    "oci:" + dir.resolve("o")),
                Map.of("TERM", "xterm"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    assertFalse(plain.stderr().contains("\u001b"), plain.describe());
    assertTrue(plain.stderr().contains("(cached, "), plain.describe());
    assertTrue(plain.stderr().contains("wrote oci:"), plain.describe());
  }
}
